import { createSupabaseClient, type Database } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";

/** A supabase-js client typed with the generated database types. */
export type TDb = SupabaseClient<Database>;

/** One row of the delivery queue. */
export type TDeliveryRow = Database["public"]["Tables"]["chat_delivery_queue"]["Row"];
/** One chat message. */
export type TMessageRow = Database["public"]["Tables"]["project_chat_messages"]["Row"];
/** One agent with its profile. */
export type TAgentRow = Database["public"]["Tables"]["agents"]["Row"];
/** One knowledge document. */
export type TBrainDocRow = Database["public"]["Tables"]["brain_docs"]["Row"];
/** One chat thread. */
export type TThreadRow = Database["public"]["Tables"]["project_chat_threads"]["Row"];

/**
 * The executor's service-role client (principle 1: the executor talks to Supabase only through
 * supabase-js). No session is stored; realtime runs as the service role; every request times out
 * after `requestTimeoutMs` (reported as `database_unreachable`).
 */
export function createExecutorClient(url: string, serviceRoleKey: string, options: { requestTimeoutMs?: number } = {}): TDb {
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  // A hung request must not stall a worker loop forever: every HTTP call gets a deadline.
  const fetchWithTimeout: typeof fetch = (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
  return createSupabaseClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: fetchWithTimeout },
  }) as unknown as TDb;
}
