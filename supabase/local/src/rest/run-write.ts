import { httpError, readJsonBody } from "../http/http-helpers.ts";
import { assertPathsUsed, buildNode, buildReadStatement, createSqlBuilder } from "./build-read-sql.ts";
import { notImplemented } from "./parse-error.ts";
import type { TParsedQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { RollbackWith, runRequestTransaction } from "./run-request-transaction.ts";
import { quoteIdent, type TTable } from "./schema-cache.ts";
import { contentRange, preferenceApplied, sendResult, singleObjectError, type TStatementResult, toStatementResult } from "./send-result.ts";
import type { SqlParams } from "./sql-params.ts";

/**
 * Runs a data-modifying statement (`dml`, ending before `returning`) and answers as PostgREST:
 * with `return=representation` the changed rows shaped by `select=`, otherwise no body.
 * A single-object Accept that does not match exactly one row rolls the change back (406).
 */
export async function runWrite(
  r: TRestRequest,
  table: TTable,
  query: TParsedQuery,
  params: SqlParams,
  dml: string,
  status: { representation: number; minimal: number },
  applied: Array<string | null | false>,
): Promise<void> {
  const representation = r.prefer.return === "representation";
  const counted = r.prefer.count !== null;
  let sql: string;
  if (representation) {
    query.nodes.set("", { filters: [], order: query.nodes.get("")?.order ?? [], limit: null, offset: null });
    const b = createSqlBuilder(r.cache, params, query);
    const root = buildNode(b, table, `pgrst_source as "t0"`, "t0", query.select, "", []);
    assertPathsUsed(b);
    sql = `with pgrst_source as (${dml} returning "t0".*) ${buildReadStatement(root, { count: false, stripNulls: r.accept.stripNulls })}`;
  } else {
    sql = dml;
  }
  const result = await runRequestTransaction(
    r.pool,
    r.identity,
    r.settings,
    { readOnly: false, rollback: r.prefer.txRollback },
    async (client): Promise<TStatementResult> => {
      const out = await client.query(sql, params.values);
      const result = representation ? toStatementResult(out.rows[0]) : { total: null, page: out.rowCount ?? 0, body: "[]" };
      if (r.accept.kind === "object" && result.page !== 1) throw new RollbackWith(singleObjectError(result.page));
      const max = r.prefer.strict ? r.prefer.maxAffected : null;
      if (max !== null && result.page > max) {
        throw new RollbackWith(
          httpError(
            400,
            "PGRST124",
            "Query result exceeds max-affected preference constraint",
            `The query affects ${result.page} rows`,
            null,
          ),
        );
      }
      return result;
    },
  );
  const total = counted ? result.page : null;
  const headers = {
    "content-range": representation || r.method !== "POST" ? contentRange(0, result.page, total) : `*/${total ?? "*"}`,
    ...preferenceApplied([
      r.prefer.return !== null && `return=${r.prefer.return}`,
      counted && `count=${r.prefer.count}`,
      r.prefer.txRollback && "tx=rollback",
      r.prefer.strict && "handling=strict",
      r.prefer.strict && r.prefer.maxAffected !== null && `max-affected=${r.prefer.maxAffected}`,
      ...applied,
    ]),
  };
  if (representation) sendResult(r, status.representation, result, headers, true);
  else sendResult(r, status.minimal, null, headers, false);
}

/** Reads the JSON body of a write, refusing an empty one as PostgREST does. */
export async function readWriteBody(r: TRestRequest): Promise<unknown> {
  const body = await readJsonBody(r.req);
  if (body === undefined)
    throw httpError(400, "PGRST102", "Empty or invalid json", null, "Send a JSON object or array as the request body");
  return body;
}

/** Checks that every written column exists, with PostgREST's PGRST204 otherwise. */
export function assertColumnsExist(table: TTable, columns: string[]): void {
  for (const name of columns) {
    if (!table.columns.has(name)) {
      throw httpError(
        400,
        "PGRST204",
        `Could not find the '${name}' column of '${table.name}' in the schema cache`,
        null,
        `Use one of the columns of ${table.schema}.${table.name}: ${[...table.columns.keys()].join(", ")}`,
      );
    }
  }
}

/** PATCH and DELETE take no limit/offset (that needs PostgREST's ctid plan); order only sorts the returned rows. */
export function assertNoRootRange(query: TParsedQuery, what: string): void {
  const root = query.nodes.get("");
  if (root && (root.limit !== null || root.offset !== null)) throw notImplemented(`limit or offset on ${what}`);
}

/** `"a", "b"` for a column list. */
export function columnList(columns: string[]): string {
  return columns.map(quoteIdent).join(", ");
}
