import { type HttpError, httpError, readJsonBody } from "../http/http-helpers.ts";
import { assertPathsUsed, buildNode, buildReadStatement, createSqlBuilder } from "./build-read-sql.ts";
import { notImplemented } from "./parse-error.ts";
import type { TParsedQuery } from "./parse-query.ts";
import type { TRestRequest } from "./rest-request.ts";
import { RollbackWith, runRequestTransaction } from "./run-request-transaction.ts";
import { quoteIdent, type TTable } from "./schema-cache.ts";
import { sendPlan } from "./send-plan.ts";
import {
  appliedPreferences,
  contentRange,
  sendResult,
  singleObjectError,
  type TStatementResult,
  toStatementResult,
} from "./send-result.ts";
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
  applied: { resolution?: string | null | false; missing?: string | null | false },
  options: { countInserted?: boolean } = {},
): Promise<void> {
  if (r.accept.kind === "plan") return sendPlan(r, "", false);
  const representation = r.prefer.return === "representation";
  // PostgREST checks max-affected on PATCH and DELETE only (and on RPC); an insert ignores it.
  const maxAffected = r.prefer.strict && (r.method === "PATCH" || r.method === "DELETE") ? r.prefer.maxAffected : null;
  const counted = r.prefer.count !== null;
  let sql: string;
  if (representation) {
    query.nodes.set("", { filters: [], order: query.nodes.get("")?.order ?? [], limit: null, offset: null });
    const b = createSqlBuilder(r.cache, params, query);
    const root = buildNode(b, table, `pgrst_source as "t0"`, "t0", query.select, "", []);
    assertPathsUsed(b);
    const read = buildReadStatement(root, { count: false, stripNulls: r.accept.stripNulls, csv: r.accept.kind === "csv" });
    sql = options.countInserted
      ? `with pgrst_source as (${dml} returning "t0".*, ${INSERTED}) select _s.*, (select count(*) from pgrst_source where pgrst_inserted) as inserted from (${read}) as _s`
      : `with pgrst_source as (${dml} returning "t0".*) ${read}`;
  } else if (options.countInserted) {
    sql = `with pgrst_source as (${dml} returning ${INSERTED}) select count(*) as page, count(*) filter (where pgrst_inserted) as inserted from pgrst_source`;
  } else {
    sql = dml;
  }
  const result = await runRequestTransaction(
    r.pool,
    r.identity,
    r.settings,
    { readOnly: false, rollback: r.prefer.txRollback },
    async (client): Promise<TStatementResult & { inserted?: number }> => {
      const out = await client.query(sql, params.values);
      const first = out.rows[0] as { page?: string; inserted?: string } | undefined;
      const result: TStatementResult & { inserted?: number } = representation
        ? toStatementResult(out.rows[0])
        : { total: null, page: options.countInserted ? Number(first?.page ?? 0) : (out.rowCount ?? 0), body: "[]" };
      if (options.countInserted) result.inserted = Number(first?.inserted ?? 0);
      if (r.accept.kind === "object" && result.page !== 1) throw new RollbackWith(singleObjectError(result.page));
      if (maxAffected !== null && result.page > maxAffected) throw new RollbackWith(maxAffectedError(result.page));
      return result;
    },
  );
  const total = counted ? result.page : null;
  const headers = {
    "content-range": representation || r.method !== "POST" ? contentRange(0, result.page, total) : `*/${total ?? "*"}`,
    ...appliedPreferences(r, { ...applied, return: true, maxAffected }),
  };
  // PostgREST's upsert rule: 200 when merge-duplicates inserted nothing (every row updated an existing one), else 201.
  const allUpdated = result.inserted === 0;
  if (representation) sendResult(r, allUpdated ? 200 : status.representation, result, headers, true);
  else sendResult(r, allUpdated ? 200 : status.minimal, null, headers, false);
}

/** Whether a row returned by INSERT … ON CONFLICT DO UPDATE was inserted (an updated row has a non-zero xmax). */
const INSERTED = `"t0".xmax::text = '0' as pgrst_inserted`;

/** PostgREST's PGRST124: the statement changed (or the function returned) more rows than max-affected allows. */
export function maxAffectedError(affected: number): HttpError {
  return httpError(400, "PGRST124", "Query result exceeds max-affected preference constraint", `The query affects ${affected} rows`, null);
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
