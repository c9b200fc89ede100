import { AppError } from "@mission-control/shared/errors";

/** The life of every loop the executor runs: created → starting → running → stopping → stopped. */
export type TWorkerState = "created" | "starting" | "running" | "stopping" | "stopped";

/**
 * Asserts a transition: returns `to` when `from` is one of the states `to` may follow, and throws
 * an `internal` AppError (a bug in the loop, not a condition to handle) otherwise.
 */
export function moveWorkerState(what: string, from: TWorkerState, allowed: readonly TWorkerState[], to: TWorkerState): TWorkerState {
  if (!allowed.includes(from)) {
    throw new AppError("internal", { message: `The ${what} cannot go from ${from} to ${to} (only from ${allowed.join(" or ")})` });
  }
  return to;
}
