import { createSupabaseClient } from "@mission-control/shared/db";
import { describeDrift, diffPublication, hasNoDrift, REALTIME_TABLES, type TRealtimeTable } from "@mission-control/shared/realtime";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { createProbeFixture, REALTIME_PROBES, removeProbeFixture } from "./realtime-probes.ts";

/** The verdict for one registered table. */
export interface TTableCheck {
  table: string;
  published: boolean;
  replicaIdentity: string;
  eventReceived: boolean;
  latencyMs: number | null;
  problem: string | null;
}

export interface TVerifyResult {
  ok: boolean;
  drift: string;
  checks: TTableCheck[];
}

interface TPublicationRow {
  schema_name: string;
  table_name: string;
  replica_identity: string;
  has_primary_key: boolean;
}

const name = (t: TRealtimeTable) => `${t.schema}.${t.table}`;

async function subscribeAll(db: SupabaseClient, onChange: (table: string) => void, timeoutMs: number): Promise<RealtimeChannel> {
  const channel = db.channel(`verify-realtime-${Date.now()}`);
  for (const t of REALTIME_TABLES) {
    channel.on("postgres_changes", { event: "*", schema: t.schema, table: t.table }, () => onChange(name(t)));
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Realtime did not confirm the subscription within ${timeoutMs} ms: is /realtime/v1 reachable?`)),
      timeoutMs,
    );
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        resolve();
      } else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") {
        clearTimeout(timer);
        reject(new Error(`Realtime subscription failed (${status}): ${err?.message ?? "no reason given"}`));
      }
    });
  });
  return channel;
}

/**
 * For each table of the realtime registry: is it published, with a usable replica identity, and
 * does an inserted probe row arrive as a postgres_changes event through supabase-js?
 */
export async function verifyRealtime(options: { url: string; serviceRoleKey: string; timeoutMs?: number }): Promise<TVerifyResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const db = createSupabaseClient(options.url, options.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const status = await db.rpc("realtime_publication_status");
  if (status.error)
    throw new Error(`Reading the publication failed: ${status.error.message}. Are the migrations applied (supabase db push)?`);
  const rows = status.data as TPublicationRow[];
  const publicationDrift = diffPublication(
    REALTIME_TABLES,
    rows.map((r) => ({ schema: r.schema_name, table: r.table_name })),
  );
  const drift = describeDrift(publicationDrift);

  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const channel = await subscribeAll(
    db,
    (table) => {
      if (!arrivals.has(table)) arrivals.set(table, performance.now());
      waiters.get(table)?.();
    },
    timeoutMs,
  );

  const fixture = await createProbeFixture(db);
  const checks: TTableCheck[] = [];
  try {
    for (const t of REALTIME_TABLES) {
      const row = rows.find((r) => r.schema_name === t.schema && r.table_name === t.table);
      const identityOk = row ? row.replica_identity === "full" || (row.replica_identity === "default" && row.has_primary_key) : false;
      const check: TTableCheck = {
        table: name(t),
        published: Boolean(row),
        replicaIdentity: row?.replica_identity ?? "-",
        eventReceived: false,
        latencyMs: null,
        problem: null,
      };
      const probe = REALTIME_PROBES[name(t)];
      if (!probe) {
        check.problem = "no probe: add one to scripts/verify-realtime/realtime-probes.ts";
      } else {
        arrivals.delete(name(t));
        const arrived = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          waiters.set(name(t), () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        const started = performance.now();
        try {
          await probe(db, fixture);
          check.eventReceived = await arrived;
          const at = arrivals.get(name(t));
          check.latencyMs = check.eventReceived && at !== undefined ? Math.max(0, at - started) : null;
          if (!check.eventReceived) check.problem = row ? `no event within ${timeoutMs} ms` : "not in the publication: no event can arrive";
        } catch (err) {
          check.problem = (err as Error).message;
        }
      }
      if (!check.problem && !identityOk) check.problem = "replica identity is neither full nor default with a primary key";
      checks.push(check);
    }
  } finally {
    await db.removeChannel(channel);
    await removeProbeFixture(db, fixture).catch(() => {});
    db.realtime.disconnect();
  }
  return { ok: checks.every((c) => c.problem === null) && hasNoDrift(publicationDrift), drift, checks };
}

/** Renders the checks as an aligned text table. */
export function formatChecks(checks: TTableCheck[]): string {
  const header = ["table", "published", "replica identity", "event received", "latency", "problem"];
  const lines = checks.map((c) => [
    c.table,
    c.published ? "yes" : "NO",
    c.replicaIdentity,
    c.eventReceived ? "yes" : "NO",
    c.latencyMs === null ? "-" : `${c.latencyMs.toFixed(1)} ms`,
    c.problem ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...lines.map(fmt)].join("\n");
}
