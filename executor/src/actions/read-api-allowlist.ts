import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";

/** project_settings key 'api_allowlist': `{"hosts": ["api.example.com", "127.0.0.1:8080"]}`. */
export const ZApiAllowlist = z.object({ hosts: z.array(z.string().trim().min(1).max(255)).max(500) });

/**
 * The hosts the project allows api_call to reach, lower-cased; empty when the setting is missing or
 * malformed (then every api_call is refused). Throws only when the database cannot be read.
 */
export async function readApiAllowlist(db: TDb, projectId: string): Promise<string[]> {
  const { data, error } = await db
    .from("project_settings")
    .select("value")
    .eq("project_id", projectId)
    .eq("key", "api_allowlist")
    .maybeSingle();
  if (error) throw new Error(`Could not read the project's api_allowlist: ${error.message}`);
  const parsed = ZApiAllowlist.safeParse(data?.value);
  return parsed.success ? parsed.data.hosts.map((host) => host.toLowerCase()) : [];
}

/** True when `url`'s host is allowed: an entry equal to its hostname (any port) or to host:port. */
export function isHostAllowed(url: URL, hosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const hostWithPort = url.host.toLowerCase();
  return hosts.some((entry) => entry === hostname || entry === hostWithPort);
}
