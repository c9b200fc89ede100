import { createClient, type SupabaseClient, type SupabaseClientOptions } from "@supabase/supabase-js";
import WebSocket from "ws";

/**
 * The one way web, executor, scripts and tests create a Supabase client. On Node 20 there is no
 * native WebSocket, so realtime gets the `ws` package as its transport (supabase-js requires it).
 */
export function createSupabaseClient(url: string, key: string, options: SupabaseClientOptions<"public"> = {}): SupabaseClient {
  const transport = (globalThis as { WebSocket?: unknown }).WebSocket ?? WebSocket;
  return createClient(url, key, {
    ...options,
    realtime: { ...options.realtime, transport: transport as never },
  });
}
