import type { THealthReport, TRouteAnswer } from "@mission-control/shared/control-api";

/** GET /health: the health report, 200 while the database answers and 503 when it does not (the executor itself still answers). */
export async function handleHealth(health: () => Promise<THealthReport>): Promise<TRouteAnswer<"health">> {
  const report = await health();
  return { status: report.status === "down" ? 503 : 200, body: report };
}
