import { createSupabaseClient } from "@mission-control/shared/db";
import type { Page } from "@playwright/test";
import { AUTH_STORAGE_KEY } from "../../src/features/auth/get-browser-client.ts";
import type { TE2eEnv } from "./env.ts";

/**
 * Signs in through the auth API (not the form) and puts the session where supabase-js looks for
 * it, before any page script runs. The next navigation starts signed in.
 */
export async function signInThroughApi(page: Page, env: TE2eEnv, account: { email: string; password: string }): Promise<void> {
  const client = createSupabaseClient(env.E2E_SUPABASE_URL, env.E2E_SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { data, error } = await client.auth.signInWithPassword(account);
  if (error || !data.session) throw new Error(`could not sign in ${account.email} through the API: ${error?.message}`);
  await page.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [
    AUTH_STORAGE_KEY,
    JSON.stringify(data.session),
  ] as const);
}
