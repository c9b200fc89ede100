import { AppError } from "@mission-control/shared/errors";
import { executeWithFallback, type TFallbackDeps } from "../actions/execute-with-fallback.ts";

/**
 * Runs a database write through executeWithFallback (no notify: nothing for the executor to pick
 * up now). A refusal the database explained (RLS, a duplicate, a row still in use, a check) keeps
 * its own sentence; only a failure to reach the database gets the fallback's "nothing was saved;
 * check the connection badge" advice.
 */
export async function runWrite<T>(write: () => Promise<T>, deps: TFallbackDeps): Promise<T> {
  try {
    return (await executeWithFallback({ write }, deps)).result;
  } catch (err) {
    if (err instanceof AppError && err.code !== "database_unreachable" && err.cause instanceof AppError) throw err.cause;
    throw err;
  }
}
