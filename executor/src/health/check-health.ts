import { describeDrift, diffPublication, hasNoDrift, REALTIME_TABLES } from "@mission-control/shared/realtime";
import type { TDb } from "../db/executor-client.ts";

/** What GET /health reports. */
export type THealthReport = {
  /** ok: all good; degraded: working but the realtime publication drifts; down: the database is unreachable. */
  status: "ok" | "degraded" | "down";
  version: string;
  executorId: string;
  uptimeMs: number;
  database: { reachable: boolean; latencyMs: number | null; error?: string };
  publication: { ok: boolean; drift: string };
  queue: { queued: number; inFlight: number; failed: number } | null;
  /** The chat delivery worker. */
  worker: { state: string; inFlight: number; concurrency: number };
  /** The approval worker (approved proposals being executed). */
  approvals: { state: string; inFlight: number; concurrency: number };
};

/**
 * Checks the database (latency of one round trip), the realtime publication against the shared
 * registry (principle 3), and the queue depth, in parallel.
 */
export async function checkHealth(
  db: TDb,
  facts: { version: string; executorId: string; startedAt: Date; worker: THealthReport["worker"]; approvals: THealthReport["approvals"] },
): Promise<THealthReport> {
  const started = performance.now();
  const publication = db.rpc("realtime_publication_status").then((result) => ({ ...result, latencyMs: performance.now() - started }));
  const count = (status: string) =>
    db
      .from("chat_delivery_queue")
      .select("id", { count: "exact", head: true })
      .eq("status", status)
      .then((r) => (r.error ? null : (r.count ?? 0)));
  const [pub, queued, inFlight, failed] = await Promise.all([publication, count("queued"), count("delivered"), count("failed")]);
  const base = {
    version: facts.version,
    executorId: facts.executorId,
    uptimeMs: Date.now() - facts.startedAt.getTime(),
    worker: facts.worker,
    approvals: facts.approvals,
  };
  if (pub.error) {
    return {
      ...base,
      status: "down",
      database: { reachable: false, latencyMs: null, error: pub.error.message },
      publication: { ok: false, drift: "Unknown: the database is unreachable." },
      queue: null,
    };
  }
  const drift = diffPublication(
    REALTIME_TABLES,
    (pub.data ?? []).map((row) => ({ schema: row.schema_name, table: row.table_name })),
  );
  const ok = hasNoDrift(drift);
  return {
    ...base,
    status: ok ? "ok" : "degraded",
    database: { reachable: true, latencyMs: Math.round(pub.latencyMs * 100) / 100 },
    publication: { ok, drift: describeDrift(drift) },
    queue: queued === null || inFlight === null || failed === null ? null : { queued, inFlight, failed },
  };
}
