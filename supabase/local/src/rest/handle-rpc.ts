import { httpError, readJsonBody, sendJson } from "../http/http-helpers.ts";
import { assertPathsUsed, buildNode, buildReadStatement, createSqlBuilder } from "./build-read-sql.ts";
import { sendRange } from "./handle-read.ts";
import { parseQuery } from "./parse-query.ts";
import { functionArgNames, resolveFunction } from "./resolve-function.ts";
import type { TRestRequest } from "./rest-request.ts";
import { runInlineStatement } from "./run-request-transaction.ts";
import { qualifiedKey, quoteIdent, quoteQualified, type TFunction, type TTable } from "./schema-cache.ts";
import { sendResult, toStatementResult, unwrapSingle } from "./send-result.ts";
import { SqlParams } from "./sql-params.ts";

/** `/rpc/<fn>`: POST with a JSON body of named arguments, or GET/HEAD with arguments in the query. */
export async function handleRpc(r: TRestRequest, name: string): Promise<void> {
  const isRead = r.method === "GET" || r.method === "HEAD";
  if (!isRead && r.method !== "POST") {
    throw httpError(405, "PGRST117", `Unsupported HTTP method: ${r.method}`, null, "Call functions with POST, or GET for stable functions");
  }
  const query = parseQuery(r.url.searchParams, isRead ? functionArgNames(r.cache, r.schema, name) : new Set());
  let args: Record<string, unknown>;
  if (isRead) args = Object.fromEntries(query.rpcArgs);
  else {
    const body = (await readJsonBody(r.req)) ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw httpError(
        400,
        "PGRST102",
        "Empty or invalid json",
        "RPC takes one JSON object of named arguments",
        "Send the arguments as an object",
      );
    }
    args = body as Record<string, unknown>;
  }
  const given = Object.keys(args);
  const { fn, singleObject } = resolveFunction(r.cache, r.schema, name, given, r.prefer.paramsSingleObject);

  // Values are inlined as escaped literals so the call travels with begin and commit in one round trip.
  const params = new SqlParams(true);
  const provided = fn.args.filter((a) => given.includes(a.name));
  const argsParam = singleObject || provided.length > 0 ? params.add(JSON.stringify(args)) : "";
  const argSource =
    singleObject || provided.length === 0
      ? ""
      : `jsonb_to_record(${argsParam}::jsonb) as _a(${provided.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(", ")})`;
  const callArgs = singleObject
    ? `${argsParam}::${fn.args[0]?.type ?? "jsonb"}`
    : provided.map((a) => `${quoteIdent(a.name)} := _a.${quoteIdent(a.name)}`).join(", ");
  const call = `${quoteQualified(fn.schema, fn.name)}(${callArgs})`;
  const fromArgs = argSource === "" ? "" : ` from ${argSource}`;
  const run = <T>(sql: string) => runInlineStatement<T>(r.pool, r.identity, r.settings, sql, { readOnly: isRead });

  if (fn.returns.kind === "void" || (fn.returns.kind === "scalar" && !fn.returnsSet)) {
    const sql = `select to_json(_f.v)::text as body from (select ${call} as v${fromArgs}) as _f`;
    const row = await run<{ body: string | null }>(sql);
    if (fn.returns.kind === "void") sendResult(r, 204, null, {}, false);
    else if (r.method === "HEAD") sendResult(r, 200, null, {}, false);
    else sendJson(r.res, 200, row?.body ?? "null");
    return;
  }

  const counted = r.prefer.count !== null;
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
    ...(scalar ? { scalarColumn: "pgrst_scalar" } : {}),
  });
  const result = toStatementResult(await run<Parameters<typeof toStatementResult>[0]>(sql));
  if (!fn.returnsSet && r.accept.kind === "array") {
    sendJson(r.res, 200, result.page === 1 ? unwrapSingle(result.body) : "null");
    return;
  }
  sendRange(r, result, query.nodes.get("")?.offset ?? 0, counted);
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
