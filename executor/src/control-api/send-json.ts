import type { ServerResponse } from "node:http";
import type { TErrorEnvelope } from "@mission-control/shared/control-api";
import { AppError, assertNever, coerceError, type TAppErrorCode } from "@mission-control/shared/errors";

/** Writes `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

/** The HTTP status of each error code. */
export function statusOf(code: TAppErrorCode): number {
  switch (code) {
    case "invalid_input":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "budget_exceeded":
      return 429;
    case "database_unreachable":
    case "control_api_unreachable":
    case "provider_unreachable":
    case "provider_rate_limited":
    case "provider_bad_response":
      return 503;
    case "provider_timeout":
    case "timeout":
      return 504;
    case "config_invalid":
    case "internal":
      return 500;
    default:
      return assertNever(code);
  }
}

/** Writes `{ error: { code, message } }` with the status of the error's code; unexpected errors say only "internal". */
export function sendError(res: ServerResponse, err: unknown): void {
  const error = coerceError(err);
  const status = statusOf(error.code);
  const message = err instanceof AppError ? error.message : "The Control API hit an unexpected error; the executor log has the details";
  const envelope: TErrorEnvelope = { error: { code: error.code, message } };
  if (!res.headersSent) sendJson(res, status, envelope);
  else res.end();
}
