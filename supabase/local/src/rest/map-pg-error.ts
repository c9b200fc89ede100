import { DatabaseError } from "pg";
import { HttpError } from "../http/http-helpers.ts";

/** PostgREST's HTTP status for a SQLSTATE (https://postgrest.org/en/v12/references/errors.html). */
export function statusForSqlState(code: string, role: string): number {
  // Custom status: a function raising SQLSTATE PT412 answers HTTP 412, as PostgREST does.
  if (/^PT[1-5]\d\d$/.test(code)) return Number(code.slice(2));
  if (code === "42501") return role === "anon" ? 401 : 403;
  if (code === "23503" || code === "23505") return 409;
  if (code === "25006") return 405;
  if (code === "P0001") return 400;
  if (code === "42883" || code === "42P01") return 404;
  if (code === "42P17") return 500;
  const cls = code.slice(0, 2);
  if (cls === "08" || cls === "53") return 503;
  if (cls === "0L" || cls === "0P" || cls === "28") return 403;
  if (["09", "25", "2D", "38", "39", "3B", "40", "54", "55", "57", "58", "F0", "HV", "P0", "XX"].includes(cls)) return 500;
  return 400;
}

/** Turns a Postgres error into PostgREST's response; anything else is rethrown as is. */
export function mapPgError(err: unknown, role: string): unknown {
  if (!(err instanceof DatabaseError) || err.code === undefined) return err;
  return new HttpError(statusForSqlState(err.code, role), {
    code: err.code,
    message: err.message,
    details: err.detail ?? null,
    hint: err.hint ?? null,
  });
}
