"use client";

import type { Session } from "@supabase/supabase-js";
import { useEffect, useState } from "react";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { getBrowserClient } from "./get-browser-client.ts";

/**
 * What the dashboard uses of a session: the access token (for the Control API) and who signed in.
 * A supabase-js Session is one; so is the one the server rendered the page with (from the session
 * cookie), which stands in until supabase-js has read its own from storage.
 */
export type TShellSession = Pick<Session, "access_token"> & { user: Pick<Session["user"], "id" | "email"> };

/** The signed-in session as React state: loading until supabase-js has read it from storage. */
export type TSessionState =
  | { status: "loading"; session: null }
  | { status: "signed-out"; session: null }
  | { status: "signed-in"; session: TShellSession };

/**
 * Follows the Supabase session of this tab (sign-in, sign-out, token refresh). `initial` is the
 * session the server rendered the page with: the page is signed in from its first render (the
 * same render as the server's), then follows supabase-js.
 */
export function useSession(initial?: TShellSession | null): TSessionState {
  const config = useClientConfig();
  const [state, setState] = useState<TSessionState>(() =>
    initial ? { status: "signed-in", session: initial } : { status: "loading", session: null },
  );
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
