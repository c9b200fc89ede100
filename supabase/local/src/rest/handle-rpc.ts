import { httpError, sendJson } from "../http/http-helpers.ts";
import { assertPathsUsed, buildNode, buildReadStatement, createSqlBuilder } from "./build-read-sql.ts";
import { sendRange } from "./handle-read.ts";
import { parseQuery } from "./parse-query.ts";
import { readRpcBody, type TRpcBody } from "./read-rpc-body.ts";
import { functionArgNames, resolveFunction } from "./resolve-function.ts";
import type { TRestRequest } from "./rest-request.ts";
import { RollbackWith, runInlineStatement, runRequestTransaction } from "./run-request-transaction.ts";
import { maxAffectedError } from "./run-write.ts";
import { qualifiedKey, quoteIdent, quoteQualified, type TFunction, type TTable } from "./schema-cache.ts";
import { sendPlan } from "./send-plan.ts";
import { appliedPreferences, sendResult, toStatementResult, unwrapSingle } from "./send-result.ts";
import { SqlParams } from "./sql-params.ts";

/** `/rpc/<fn>`: POST with a body of named arguments (or one unnamed argument), or GET/HEAD with arguments in the query. */
export async function handleRpc(r: TRestRequest, name: string): Promise<void> {
  const isRead = r.method === "GET" || r.method === "HEAD";
  if (!isRead && r.method !== "POST") {
    throw httpError(405, "PGRST117", `Unsupported HTTP method: ${r.method}`, null, "Call functions with POST, or GET for stable functions");
  }
  const query = parseQuery(r.url.searchParams, isRead ? functionArgNames(r.cache, r.schema, name) : new Set());
  let body: TRpcBody;
  if (isRead) {
    const args = Object.fromEntries(query.rpcArgs);
    body = { kind: "json", args, keys: Object.keys(args), raw: JSON.stringify(args) };
  } else body = await readRpcBody(r.req);
  const { fn, singleObject, positional } = resolveFunction(r.cache, r.schema, name, body.keys, {
    singleObject: r.prefer.paramsSingleObject,
    isPost: !isRead,
    bodyKind: body.kind,
  });
  const maxAffected = r.prefer.strict ? r.prefer.maxAffected : null;
  if (maxAffected !== null && !fn.returnsSet) {
    throw httpError(
      400,
      "PGRST128",
      "Function must return SETOF or TABLE when max-affected preference is used with handling=strict",
      null,
      `${fn.schema}.${fn.name} returns one value; drop max-affected or make the function return SETOF or TABLE`,
    );
  }

  // Values are inlined as escaped literals so the call travels with begin and commit in one round trip.
  const params = new SqlParams(true);
  const args = body.args;
  const given = body.keys;
  const provided = positional || singleObject ? [] : fn.args.filter((a) => given.includes(a.name));
  const argSource =
    provided.length === 0
      ? ""
      : `jsonb_to_record(${params.add(JSON.stringify(args))}::jsonb) as _a(${provided.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(", ")})`;
  let callArgs: string;
  // The whole body goes to a single unnamed parameter (PostgREST's OnePosParam), cast to its type.
  if (positional || singleObject) callArgs = `${params.add(body.raw)}::${fn.args[0]?.type ?? "jsonb"}`;
  else callArgs = provided.map((a) => `${quoteIdent(a.name)} := _a.${quoteIdent(a.name)}`).join(", ");
  const call = `${quoteQualified(fn.schema, fn.name)}(${callArgs})`;
  const fromArgs = argSource === "" ? "" : ` from ${argSource}`;
  const run = <T>(sql: string) => runCall<T>(r, sql, isRead, maxAffected);
  const applied = appliedPreferences(r, { maxAffected });

  if (fn.returns.kind === "void" || (fn.returns.kind === "scalar" && !fn.returnsSet)) {
    const sql = `select to_json(_f.v)::text as body from (select ${call} as v${fromArgs}) as _f`;
    if (r.accept.kind === "plan") return sendPlan(r, sql, isRead);
    const row = await run<{ body: string | null }>(sql);
    if (fn.returns.kind === "void") sendResult(r, 204, null, applied, false);
    else if (r.method === "HEAD") sendResult(r, 200, null, applied, false);
    else sendJson(r.res, 200, row?.body ?? "null", applied);
    return;
  }

  // PostgREST counts a function's rows for exact and estimated; planned has no estimate for a call (total "*").
  const counted = r.prefer.count === "exact" || r.prefer.count === "estimated";
  const scalar = fn.returns.kind === "scalar";
  const table = resultTable(r, fn);
  const alias = scalar ? `"t0"("pgrst_scalar")` : `"t0"`;
  const from = `${argSource === "" ? "" : `${argSource} cross join lateral `}${call} as ${alias}`;
  const b = createSqlBuilder(r.cache, params, query);
  const root = buildNode(b, table, from, "t0", scalar ? [{ kind: "star" }] : query.select, "", []);
  assertPathsUsed(b);
  const sql = buildReadStatement(root, {
    count: counted,
    stripNulls: r.accept.stripNulls,
    csv: r.accept.kind === "csv",
    ...(scalar ? { scalarColumn: "pgrst_scalar" } : {}),
  });
  if (r.accept.kind === "plan") return sendPlan(r, sql, isRead);
  const result = toStatementResult(await run<Parameters<typeof toStatementResult>[0]>(sql));
  if (!fn.returnsSet && r.accept.kind === "array") {
    sendJson(r.res, 200, result.page === 1 ? unwrapSingle(result.body) : "null", applied);
    return;
  }
  sendRange(r, result, query.nodes.get("")?.offset ?? 0, 200, applied);
}

/**
 * Runs the call's one statement. Without tx=rollback or max-affected it goes with begin and commit
 * in one round trip; otherwise the result is checked (PGRST124 when the function returned more rows
 * than max-affected allows) before the transaction commits or, with tx=rollback, rolls back.
 */
async function runCall<T>(r: TRestRequest, sql: string, readOnly: boolean, maxAffected: number | null): Promise<T | undefined> {
  if (!r.prefer.txRollback && maxAffected === null) return runInlineStatement<T>(r.pool, r.identity, r.settings, sql, { readOnly });
  return runRequestTransaction(r.pool, r.identity, r.settings, { readOnly, rollback: r.prefer.txRollback }, async (client) => {
    const row = (await client.query(sql)).rows[0] as T | undefined;
    const affected = Number((row as { page?: string } | undefined)?.page ?? 0);
    if (maxAffected !== null && affected > maxAffected) throw new RollbackWith(maxAffectedError(affected));
    return row;
  });
}

/** The columns a function's rows have: its table's, its OUT columns', or one scalar column. */
function resultTable(r: TRestRequest, fn: TFunction): TTable {
  if (fn.returns.kind === "composite" && fn.returns.table && fn.returns.schema) {
    const known = r.cache.tables.get(qualifiedKey(fn.returns.schema, fn.returns.table));
    if (known) return known;
  }
  const columns =
    fn.returns.kind === "scalar" ? [{ name: "pgrst_scalar", type: fn.returns.type }] : fn.outColumns.length > 0 ? fn.outColumns : [];
  if (fn.returns.kind === "composite" && columns.length === 0) {
    throw httpError(
      400,
      "PGRST127",
      `Feature not implemented: calling ${fn.schema}.${fn.name}, which returns an anonymous record`,
      null,
      "Declare the function with OUT parameters, RETURNS TABLE (...) or a table type",
    );
  }
  return {
    schema: fn.schema,
    name: fn.name,
    kind: "view",
    primaryKey: [],
    insertable: false,
    computed: new Map(),
    columns: new Map(columns.map((c) => [c.name, { name: c.name, type: c.type, nullable: true, defaultSql: null }])),
  };
}
