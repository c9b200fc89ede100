import { createSupabaseClient, type Database } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { TE2eEnv } from "./env.ts";

/** A service-role client: specs create and inspect data with it, never the browser. */
export type TAdminClient = SupabaseClient<Database>;

/** Creates the service-role client of the e2e stack. */
export function createAdminClient(env: TE2eEnv): TAdminClient {
  return createSupabaseClient(env.E2E_SUPABASE_URL, env.E2E_SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }) as unknown as TAdminClient;
}
