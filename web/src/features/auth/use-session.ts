"use client";

import type { Session } from "@supabase/supabase-js";
import { useEffect, useState } from "react";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { getBrowserClient } from "./get-browser-client.ts";

/** The signed-in session as React state: loading until supabase-js has read it from storage. */
export type TSessionState =
  | { status: "loading"; session: null }
  | { status: "signed-out"; session: null }
  | { status: "signed-in"; session: Session };

/** Follows the Supabase session of this tab (sign-in, sign-out, token refresh). */
export function useSession(): TSessionState {
  const config = useClientConfig();
  const [state, setState] = useState<TSessionState>({ status: "loading", session: null });
  useEffect(() => {
    const client = getBrowserClient(config);
    let active = true;
    const apply = (session: Session | null) => {
      if (!active) return;
      setState(session ? { status: "signed-in", session } : { status: "signed-out", session: null });
    };
    void client.auth.getSession().then(({ data }) => apply(data.session));
    const { data } = client.auth.onAuthStateChange((_event, session) => apply(session));
    return () => {
      active = false;
      data.subscription.unsubscribe();
    };
  }, [config]);
  return state;
}
