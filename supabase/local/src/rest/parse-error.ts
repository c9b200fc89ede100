import { type HttpError, httpError } from "../http/http-helpers.ts";

/** PostgREST's 400 PGRST100 for a query parameter that does not parse. */
export function parseError(what: string, raw: string, details: string): HttpError {
  return httpError(
    400,
    "PGRST100",
    `"failed to parse ${what} (${raw})"`,
    details,
    "Check the PostgREST syntax of this parameter; quote values that contain , . : ( ) with double quotes",
  );
}

/** A PostgREST feature the local gateway does not implement (400 PGRST127, as PostgREST words it). */
export function notImplemented(feature: string): HttpError {
  return httpError(
    400,
    "PGRST127",
    `Feature not implemented: ${feature}`,
    "The local Supabase gateway implements a subset of PostgREST 12",
    "Rewrite the request without this feature, or use an RPC function for it",
  );
}
