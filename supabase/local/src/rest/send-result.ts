import { type HttpError, httpError, sendJson } from "../http/http-helpers.ts";
import type { TRestRequest } from "./rest-request.ts";

/** One row of a read or write statement: total (when counted), rows returned, and JSON text. */
export interface TStatementResult {
  total: number | null;
  page: number;
  body: string;
}

/** Reads `total` / `page` / `body` from the single row a statement returns. */
export function toStatementResult(row: { total: string | null; page: string; body: string | null } | undefined): TStatementResult {
  return { total: row?.total == null ? null : Number(row.total), page: Number(row?.page ?? 0), body: row?.body ?? "[]" };
}

/** PostgREST's 406 for `Accept: application/vnd.pgrst.object+json` when the result is not one row (hint null, as PostgREST sends it). */
export function singleObjectError(page: number): HttpError {
  return httpError(406, "PGRST116", "Cannot coerce the result to a single JSON object", `The result contains ${page} rows`, null);
}

/** The body of the response: an array, the single object, or CSV. */
export function formatBody(r: TRestRequest, result: TStatementResult): { text: string; contentType: string } {
  if (r.accept.kind === "object") {
    if (result.page !== 1) throw singleObjectError(result.page);
    return { text: unwrapSingle(result.body), contentType: "application/vnd.pgrst.object+json; charset=utf-8" };
  }
  if (r.accept.kind === "csv") return { text: result.body, contentType: "text/csv; charset=utf-8" };
  return { text: result.body, contentType: "application/json; charset=utf-8" };
}

/** `[x]` → `x` for a one-element JSON array produced by json_agg. */
export function unwrapSingle(body: string): string {
  const trimmed = body.trim();
  return trimmed.slice(1, -1).trim();
}

/** `Content-Range` as PostgREST writes it: `0-9/123`, `*\/0`, `0-9/*`. */
export function contentRange(offset: number, page: number, total: number | null): string {
  const totalText = total === null ? "*" : String(total);
  return page === 0 ? `*/${totalText}` : `${offset}-${offset + page - 1}/${totalText}`;
}

/** Writes a response with PostgREST's headers; HEAD gets the headers only. */
export function sendResult(
  r: TRestRequest,
  status: number,
  result: TStatementResult | null,
  headers: Record<string, string>,
  withBody: boolean,
): void {
  if (!withBody || result === null || r.method === "HEAD") {
    const contentType = r.accept.kind === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    r.res.writeHead(status, { "content-type": contentType, ...headers });
    r.res.end();
    return;
  }
  const { text, contentType } = formatBody(r, result);
  sendJson(r.res, status, text, { ...headers, "content-type": contentType });
}

/** Preference-Applied header value for the preferences the gateway honoured. */
export function preferenceApplied(parts: Array<string | null | false>): Record<string, string> {
  const applied = parts.filter((p): p is string => typeof p === "string" && p !== "");
  return applied.length === 0 ? {} : { "preference-applied": applied.join(", ") };
}

/**
 * Preference-Applied for a response, in PostgREST's order: resolution, missing, return, count, tx,
 * handling, timezone, max-affected. `resolution`, `missing` and `return` only apply to writes and
 * max-affected only to PATCH, DELETE and RPC, so the caller passes those it honoured.
 */
export function appliedPreferences(
  r: TRestRequest,
  honoured: { resolution?: string | null | false; missing?: string | null | false; return?: boolean; maxAffected?: number | null } = {},
): Record<string, string> {
  return preferenceApplied([
    typeof honoured.resolution === "string" && `resolution=${honoured.resolution}`,
    typeof honoured.missing === "string" && `missing=${honoured.missing}`,
    honoured.return === true && r.prefer.return !== null && `return=${r.prefer.return}`,
    r.prefer.count !== null && `count=${r.prefer.count}`,
    r.prefer.txRollback && "tx=rollback",
    r.prefer.strict && "handling=strict",
    r.prefer.timezone !== null && `timezone=${r.prefer.timezone}`,
    honoured.maxAffected !== null && honoured.maxAffected !== undefined && `max-affected=${honoured.maxAffected}`,
  ]);
}
