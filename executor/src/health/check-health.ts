import type { THealthReport } from "@mission-control/shared/control-api";
import { describeDrift, diffPublication, hasNoDrift, REALTIME_TABLES } from "@mission-control/shared/realtime";
import type { TDb } from "../db/executor-client.ts";

/**
 * Checks the database (latency of one round trip), the realtime publication against the shared
 * registry (principle 3), and the queue depth, in parallel, for `GET /health` (the report's schema is
 * `ZHealthReport` in `@mission-control/shared/control-api`).
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
