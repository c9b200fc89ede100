import { httpError } from "../http/http-helpers.ts";
import { parseQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { assertColumnsExist, columnList, readWriteBody, runWrite } from "./run-write.ts";
import { quoteIdent, quoteQualified, type TTable } from "./schema-cache.ts";
import { SqlParams } from "./sql-params.ts";

/** POST on a table: insert one object or an array, or upsert with `Prefer: resolution=…`. */
export async function handleInsert(r: TRestRequest, table: TTable): Promise<void> {
  const query = parseQuery(r.url.searchParams);
  const body = await readWriteBody(r);
  const rows = Array.isArray(body) ? body : [body];
  if (!rows.every((row) => typeof row === "object" && row !== null && !Array.isArray(row))) {
    throw httpError(400, "PGRST102", "Empty or invalid json", "Every row must be a JSON object", "Send an object or an array of objects");
  }
  const objects = rows as Array<Record<string, unknown>>;
  const columns = query.columns ?? columnsOf(objects, Array.isArray(body));
  assertColumnsExist(table, columns);

  const params = new SqlParams();
  const rowsParam = params.add(JSON.stringify(objects));
  const target = quoteQualified(table.schema, table.name);
  const missingDefault = r.prefer.missing === "default";
  const values = columns.map((name) => {
    const value = `_.${quoteIdent(name)}`;
    if (!missingDefault) return value;
    const fallback = table.columns.get(name)?.defaultSql ?? "null";
    return `case when _j.j ? ${params.add(name)} then ${value} else ${fallback} end`;
  });
  const source = `from jsonb_array_elements(${rowsParam}::jsonb) with ordinality as _j(j, n) cross join lateral jsonb_populate_record(null::${target}, _j.j) as _ order by _j.n`;
  let dml = `insert into ${target} as "t0" (${columnList(columns)}) select ${values.join(", ")} ${source}`;
  if (columns.length === 0) dml = `insert into ${target} as "t0" select ${source}`;
  if (r.prefer.resolution !== null) dml += onConflict(table, query.onConflict, columns, r.prefer.resolution);

  await runWrite(
    r,
    table,
    query,
    params,
    dml,
    { representation: 201, minimal: 201 },
    // As PostgREST: resolution is echoed when the table has a primary key or on_conflict names the columns.
    { resolution: (table.primaryKey.length > 0 || query.onConflict !== null) && r.prefer.resolution, missing: r.prefer.missing },
    { countInserted: r.prefer.resolution === "merge-duplicates" },
  );
}

function columnsOf(rows: Array<Record<string, unknown>>, isArray: boolean): string[] {
  const first = rows[0];
  if (!first) return [];
  const keys = Object.keys(first);
  if (isArray) {
    const expected = [...keys].sort().join("\u0000");
    for (const row of rows) {
      if (Object.keys(row).sort().join("\u0000") !== expected) {
        throw httpError(
          400,
          "PGRST102",
          "All object keys must match",
          null,
          "Give every object the same keys, or list them with ?columns=",
        );
      }
    }
  }
  return keys;
}

function onConflict(
  table: TTable,
  requested: string[] | null,
  columns: string[],
  resolution: "merge-duplicates" | "ignore-duplicates",
): string {
  const target = requested ?? table.primaryKey;
  if (target.length === 0) {
    throw httpError(
      400,
      "PGRST100",
      `Upsert on ${table.schema}.${table.name} needs on_conflict`,
      "The table has no primary key to resolve conflicts on",
      "Pass onConflict with the columns of a unique constraint",
    );
  }
  assertColumnsExist(table, target);
  if (resolution === "ignore-duplicates" || columns.length === 0) return ` on conflict (${columnList(target)}) do nothing`;
  const sets = columns.map((name) => `${quoteIdent(name)} = excluded.${quoteIdent(name)}`).join(", ");
  return ` on conflict (${columnList(target)}) do update set ${sets}`;
}
