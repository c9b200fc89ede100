import "server-only";
import { createSupabaseClient } from "@mission-control/shared/db";
import { coerceError } from "@mission-control/shared/errors";
import type { Session } from "@supabase/supabase-js";
import { readWebEnv } from "@/env.ts";
import type { TBrowserClient } from "./get-browser-client.ts";
import type { TSignInErrorReason } from "./sign-in-handoff.ts";
import { signInWithPassword } from "./sign-in-with-password.ts";

/** The outcome of a sign-in the server made for a form posted before hydration. */
export type TServerSignIn = { ok: true; session: Session } | { ok: false; reason: TSignInErrorReason };

/**
 * Signs in with the anon key, as the browser would (the anon key can only sign in; nothing
 * privileged is used), and keeps no session on the server.
 */
export async function signInOnServer(input: { email: string; password: string }): Promise<TServerSignIn> {
  const env = readWebEnv();
  const client = createSupabaseClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }) as unknown as TBrowserClient;
  try {
    return { ok: true, session: await signInWithPassword(client, input) };
  } catch (err) {
    const code = coerceError(err).code;
    return { ok: false, reason: code === "invalid_input" || code === "database_unreachable" ? code : "unauthorized" };
  }
}
