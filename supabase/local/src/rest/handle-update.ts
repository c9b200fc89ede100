import { httpError } from "../http/http-helpers.ts";
import { filterSql } from "./build-filter-sql.ts";
import { whereSql } from "./build-read-sql.ts";
import { parseQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { assertColumnsExist, assertNoRootRange, readWriteBody, runWrite } from "./run-write.ts";
import { quoteIdent, quoteQualified, type TTable } from "./schema-cache.ts";
import { SqlParams } from "./sql-params.ts";

/** PATCH on a table: update the rows the filters (and RLS) select with the body's columns. */
export async function handleUpdate(r: TRestRequest, table: TTable): Promise<void> {
  const query = parseQuery(r.url.searchParams);
  assertNoRootRange(query, "PATCH");
  const body = await readWriteBody(r);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw httpError(400, "PGRST102", "Empty or invalid json", "PATCH takes one JSON object", "Send the columns to change as one object");
  }
  const columns = query.columns ?? Object.keys(body);
  assertColumnsExist(table, columns);
  const params = new SqlParams();
  const target = quoteQualified(table.schema, table.name);
  const where = (query.nodes.get("")?.filters ?? []).map((f) => filterSql(params, table, "t0", f));
  if (columns.length === 0) where.push("false");
  const bodyParam = params.add(JSON.stringify(body));
  const sets =
    columns.length === 0
      ? `${quoteIdent(firstColumn(table))} = "t0".${quoteIdent(firstColumn(table))}`
      : columns.map((c) => `${quoteIdent(c)} = _.${quoteIdent(c)}`).join(", ");
  const dml = `update ${target} as "t0" set ${sets} from jsonb_populate_record(null::${target}, ${bodyParam}::jsonb) as _${whereSql(where)}`;
  await runWrite(r, table, query, params, dml, { representation: 200, minimal: 204 }, { missing: r.prefer.missing });
}

function firstColumn(table: TTable): string {
  const first = table.columns.keys().next();
  if (first.done) throw httpError(400, "PGRST204", `The table ${table.schema}.${table.name} has no columns to update`);
  return first.value;
}
