import { httpError } from "../http/http-helpers.ts";
import { assertPathsUsed, buildNode, buildReadStatement, countQuery, createSqlBuilder } from "./build-read-sql.ts";
import { nodeModifiers, parseQuery, type TParsedQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { runInlineStatements } from "./run-request-transaction.ts";
import { quoteQualified, type TTable } from "./schema-cache.ts";
import { sendPlan } from "./send-plan.ts";
import { appliedPreferences, contentRange, sendResult, toStatementResult } from "./send-result.ts";
import { SqlParams } from "./sql-params.ts";

/** GET / HEAD on a table or view: one statement, run as the caller so RLS decides. */
export async function handleRead(r: TRestRequest, table: TTable): Promise<void> {
  const query = parseQuery(r.url.searchParams);
  applyRangeHeader(r, query);
  const params = new SqlParams(true);
  const b = createSqlBuilder(r.cache, params, query);
  const root = buildNode(b, table, `${quoteQualified(table.schema, table.name)} as "t0"`, "t0", query.select, "", []);
  assertPathsUsed(b);
  // exact and estimated count the rows; planned and estimated also ask the planner (EXPLAIN of the count query).
  const exact = r.prefer.count === "exact" || r.prefer.count === "estimated";
  const sql = buildReadStatement(root, { count: exact, stripNulls: r.accept.stripNulls, csv: r.accept.kind === "csv" });
  if (r.accept.kind === "plan") return sendPlan(r, sql, true);
  const explain = r.prefer.count === "planned" || r.prefer.count === "estimated";
  const [main, plan] = await runInlineStatements(
    r.pool,
    r.identity,
    r.settings,
    explain ? [sql, `explain (format json) ${countQuery(root)}`] : [sql],
  );
  const result = toStatementResult(main?.rows[0]);
  if (explain) result.total = countTotal(r, result.total, plannedRows(plan?.rows[0]));
  const offset = query.nodes.get("")?.offset ?? 0;
  sendRange(r, result, offset);
}

/** `Plan Rows` of the top node of an EXPLAIN (FORMAT JSON), or null. */
function plannedRows(row: { "QUERY PLAN"?: unknown } | undefined): number | null {
  const plan = (row?.["QUERY PLAN"] as Array<{ Plan?: { "Plan Rows"?: number } }> | undefined)?.[0]?.Plan?.["Plan Rows"];
  return typeof plan === "number" ? plan : null;
}

/** PostgREST's rule: planned is the planner's estimate; estimated is the exact count up to max_rows, past it the larger of both. */
function countTotal(r: TRestRequest, exact: number | null, planned: number | null): number | null {
  if (r.prefer.count === "planned") return planned;
  if (exact !== null && r.maxRows !== null && exact > r.maxRows && planned !== null) return Math.max(exact, planned);
  return exact;
}

/** Answers a read with PostgREST's range semantics: 200, 206 for a partial page, 416 past the end. */
export function sendRange(
  r: TRestRequest,
  result: ReturnType<typeof toStatementResult>,
  offset: number,
  status = 200,
  applied: Record<string, string> = appliedPreferences(r),
): void {
  const headers = { "content-range": contentRange(offset, result.page, result.total), ...applied };
  if (result.total !== null && offset > 0 && offset >= result.total && result.page === 0) {
    throw httpError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `An offset of ${offset} was requested, but there are only ${result.total} rows.`,
      "Lower the offset",
    );
  }
  const partial = result.total !== null && result.page > 0 && result.page < result.total && r.accept.kind !== "object";
  sendResult(r, partial && status === 200 ? 206 : status, result, headers, true);
}

/**
 * `Range: 10-19` (with `Range-Unit: items`), which older clients send instead of limit/offset.
 * Combined with limit/offset the way PostgREST does: the offsets add up, the smaller limit wins.
 */
function applyRangeHeader(r: TRestRequest, query: TParsedQuery): void {
  const header = r.req.headers.range;
  if (header === undefined) return;
  const match = /^(?:items=)?(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!match)
    throw httpError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `Could not read the Range header "${header}"`,
      "Send Range: <from>-<to>, e.g. 0-9",
    );
  const from = Number(match[1]);
  const to = match[2] === "" ? null : Number(match[2]);
  if (to !== null && to < from)
    throw httpError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `The range ${header} ends before it starts`,
      "Send Range: <from>-<to> with from <= to",
    );
  const root = nodeModifiers(query, "");
  root.offset = (root.offset ?? 0) + from;
  if (to !== null) root.limit = root.limit === null ? to - from + 1 : Math.min(root.limit, to - from + 1);
}
