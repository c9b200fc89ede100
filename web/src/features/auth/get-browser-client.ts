import { createSupabaseClient, type Database } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { TClientConfig } from "../config/client-config.ts";

/** The dashboard's typed Supabase client. */
export type TBrowserClient = SupabaseClient<Database>;

/** Where supabase-js keeps the session in localStorage (e2e specs sign in through the API and put it there). */
export const AUTH_STORAGE_KEY = "mission-control-auth";

let client: { key: string; value: TBrowserClient } | undefined;

/**
 * The one Supabase client of the browser tab (session persisted in localStorage, refreshed
 * automatically). Created on first use with the request-time configuration.
 */
export function getBrowserClient(config: TClientConfig): TBrowserClient {
  const key = `${config.supabaseUrl}|${config.supabaseAnonKey}`;
  if (client?.key === key) return client.value;
  const value = createSupabaseClient(config.supabaseUrl, config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false, storageKey: AUTH_STORAGE_KEY },
  }) as unknown as TBrowserClient;
  client = { key, value };
  return value;
}
