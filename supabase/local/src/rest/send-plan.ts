import { httpError, sendJson } from "../http/http-helpers.ts";
import type { TRestRequest } from "./rest-request.ts";
import { runInlineStatement, runInlineStatements } from "./run-request-transaction.ts";

/**
 * Answers `Accept: application/vnd.pgrst.plan…` with the EXPLAIN of the statement the request
 * would run, as PostgREST does when db-plan-enabled is on. Only reads are explained here (an
 * EXPLAIN ANALYZE of a write would perform it).
 */
export async function sendPlan(r: TRestRequest, statement: string, readOnly: boolean): Promise<void> {
  const plan = r.accept.plan;
  if (!plan) return;
  if (!readOnly) {
    throw httpError(
      406,
      "PGRST107",
      `None of these media types are available: ${r.req.headers.accept ?? ""}`,
      "The local gateway explains reads (GET and HEAD) only",
      "Explain the write with a GET of the same rows, or run EXPLAIN in SQL",
    );
  }
  const options = [`format ${plan.format}`, ...plan.options].join(", ");
  const sql = `explain (${options}) ${statement}`;
  const contentType = `application/vnd.pgrst.plan+${plan.format}; for="${plan.for}"; charset=utf-8`;
  if (plan.format === "json") {
    const row = await runInlineStatement<{ "QUERY PLAN": unknown }>(r.pool, r.identity, r.settings, sql);
    sendJson(r.res, 200, JSON.stringify(row?.["QUERY PLAN"] ?? []), { "content-type": contentType });
    return;
  }
  const [result] = await runInlineStatements(r.pool, r.identity, r.settings, [sql]);
  const text = (result?.rows ?? []).map((row: { "QUERY PLAN": string }) => row["QUERY PLAN"]).join("\n");
  sendJson(r.res, 200, text, { "content-type": contentType });
}
