import { z } from "zod";

/** A worker's line in the health report. */
export const ZWorkerHealth = z.object({ state: z.string(), inFlight: z.number(), concurrency: z.number() });

/** What `GET /health` answers: 200, or 503 when the database is down (the executor itself still answers). */
export const ZHealthReport = z.object({
  /** ok: all good; degraded: working but the realtime publication drifts; down: the database is unreachable. */
  status: z.enum(["ok", "degraded", "down"]),
  version: z.string(),
  executorId: z.string(),
  uptimeMs: z.number(),
  database: z.object({ reachable: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() }),
  publication: z.object({ ok: z.boolean(), drift: z.string() }),
  queue: z.object({ queued: z.number(), inFlight: z.number(), failed: z.number() }).nullable(),
  /** The chat delivery worker. */
  worker: ZWorkerHealth,
  /** The approval worker (approved proposals being executed). */
  approvals: ZWorkerHealth,
});
/** What `GET /health` answers. */
export type THealthReport = z.infer<typeof ZHealthReport>;

/**
 * The part of the report the dashboard decides on (status and publication drift), each optional.
 * The badge reads /health with this rather than the full report because the dashboard and the
 * executor are deployed apart: an executor of another version that added, renamed or dropped other
 * fields is still reachable and must not turn the badge to Backup.
 */
export const ZHealthSummary = ZHealthReport.pick({ status: true, publication: true }).partial();
/** The part of the report the dashboard decides on. */
export type THealthSummary = z.infer<typeof ZHealthSummary>;

/**
 * GET this path for the executor's presence as server-sent events (no auth, like /health): it says
 * nothing but "up" and drops when the executor goes, so a dashboard knows at once when to re-check.
 */
export const PRESENCE_STREAM_PATH = "/health/stream";
