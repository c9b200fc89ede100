import { filterSql } from "./build-filter-sql.ts";
import { whereSql } from "./build-read-sql.ts";
import { parseQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { assertNoRootRange, runWrite } from "./run-write.ts";
import { quoteQualified, type TTable } from "./schema-cache.ts";
import { SqlParams } from "./sql-params.ts";

/** DELETE on a table: delete the rows the filters (and RLS) select. */
export async function handleDelete(r: TRestRequest, table: TTable): Promise<void> {
  const query = parseQuery(r.url.searchParams);
  assertNoRootRange(query, "DELETE");
  const params = new SqlParams();
  const where = (query.nodes.get("")?.filters ?? []).map((f) => filterSql(params, table, "t0", f));
  const dml = `delete from ${quoteQualified(table.schema, table.name)} as "t0"${whereSql(where)}`;
  await runWrite(r, table, query, params, dml, { representation: 200, minimal: 204 }, {});
}
