import { AppError } from "@mission-control/shared/errors";

/** The fields of a PostgREST error an RPC refusal carries. */
export interface TRpcErrorLike {
  code?: string;
  message: string;
  hint?: string | null;
}

/**
 * Turns an RPC's refusal into an AppError in the database's own words and its hint (which says
 * what to do): 42501 → forbidden, PT409 (wrong state, HTTP 409) → conflict, 22023 / PT404 / 23514 → invalid
 * input; anything else means the database could not be reached or failed.
 */
export function rpcWriteError(action: string, error: TRpcErrorLike): AppError {
  const text = [error.message, error.hint].filter(Boolean).join(" — ");
  const details = { sqlstate: error.code };
  switch (error.code) {
    case "42501":
      return new AppError("forbidden", { message: `Could not ${action}: ${text}`, cause: error, details });
    case "PT409":
    case "55000":
      return new AppError("conflict", { message: `Could not ${action}: ${text}`, cause: error, details });
    case "22023":
    case "PT404":
    case "P0002":
    case "23514":
      return new AppError("invalid_input", { message: `Could not ${action}: ${text}`, cause: error, details });
    default:
      return new AppError("database_unreachable", { message: `Could not ${action}: ${text}`, cause: error, details });
  }
}
