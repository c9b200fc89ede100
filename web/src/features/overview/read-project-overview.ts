import { AppError } from "@mission-control/shared/errors";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { ZSqlNumber } from "../usage/read-usage-by-day.ts";

/** How many minutes of history the Overview charts (one point per minute). */
export const OVERVIEW_MINUTES = 60;

/** One minute of `project_overview`'s history. */
export const ZOverviewMinute = z.object({
  minute: z.string(),
  /** Deliveries waiting for an agent at the end of the minute. */
  queued: ZSqlNumber,
  /** Deliveries processed during the minute. */
  replies: ZSqlNumber,
  /** Reply latency (delivery created → processed) of those, in ms; null without replies. */
  p50_ms: ZSqlNumber.nullable(),
  p95_ms: ZSqlNumber.nullable(),
});
/** One minute of history. */
export type TOverviewMinute = z.infer<typeof ZOverviewMinute>;

/** A failed delivery of the last 24 h, with the thread it is retried from. */
export const ZFailedDelivery = z.object({
  id: z.string(),
  agent_key: z.string(),
  error: z.string().nullable(),
  attempts: ZSqlNumber,
  completed_at: z.string(),
  thread_key: z.string(),
});
/** A failed delivery. */
export type TFailedDelivery = z.infer<typeof ZFailedDelivery>;

/** The answer of `project_overview` (see its migration, 20261202070000_create_project_overview.sql). */
export const ZProjectOverview = z.object({
  as_of: z.string(),
  queue: z.object({
    queued: ZSqlNumber,
    in_flight: ZSqlNumber,
    failed_24h: ZSqlNumber,
    oldest: z.object({ id: z.string(), agent_key: z.string(), created_at: z.string(), thread_key: z.string() }).nullable(),
  }),
  failed: z.array(ZFailedDelivery),
  spend_today: z.object({
    /** Null when no call of the day had a price. */
    usd: ZSqlNumber.nullable(),
    tokens: ZSqlNumber,
    calls: ZSqlNumber,
    unpriced_calls: ZSqlNumber,
  }),
  history: z.array(ZOverviewMinute),
});
/** The Overview's database read. */
export type TProjectOverview = z.infer<typeof ZProjectOverview>;

/**
 * Reads the queue, today's spend and the last hour per minute of the project (`project_overview`,
 * security invoker: the member's RLS decides). Only reads, so it works in Backup mode too.
 */
export async function readProjectOverview(client: TBrowserClient, projectId: string): Promise<TProjectOverview> {
  const { data, error } = await client.rpc("project_overview", { p_project_id: projectId, p_minutes: OVERVIEW_MINUTES });
  if (error) {
    throw new AppError(error.code === "42501" ? "forbidden" : "database_unreachable", {
      message: `Could not read the overview: ${error.message}. ${
        error.code === "42501" ? "Open one of your projects." : "Check the connection badge; the overview retries every 30 s."
      }`,
      cause: error,
    });
  }
  return ZProjectOverview.parse(data);
}
