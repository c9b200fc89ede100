import { type TProviderConnection, ZProviderConnection } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** Re-reads one provider connection (after the executor changed its key); null when it is gone or unreadable. */
export async function readProviderConnection(client: TBrowserClient, id: string): Promise<TProviderConnection | null> {
  const { data } = await client.from("provider_connections").select("*").eq("id", id).maybeSingle();
  const parsed = ZProviderConnection.safeParse(data);
  return parsed.success ? parsed.data : null;
}
