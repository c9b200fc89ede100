import { AppError, coerceError } from "@mission-control/shared/errors";
import type { TConnectionMode } from "../live/live-store.ts";

/** Shown when an action is saved but the executor is not there to pick it up now. */
export const QUEUED_NOTICE = "Queued — the agent will answer when the executor is back";

/** An action in two steps: the database write (the truth) and the optional Control API call (speed). */
export interface TFallbackAction<T> {
  /** Writes to the database through an RPC. Its failure fails the action. */
  write: () => Promise<T>;
  /** Asks the executor to act now. Its failure only means the work waits in the queue. */
  notify?: (result: T) => Promise<void>;
}

/** What the caller needs: the write's result, and whether pickup was immediate or queued. */
export interface TFallbackOutcome<T> {
  result: T;
  pickup: "immediate" | "queued";
  /** A sentence to show when the work is queued; null when the executor took it at once. */
  notice: string | null;
}

/** The connection the action runs under and how to report a failure to the badge. */
export interface TFallbackDeps {
  getMode: () => TConnectionMode;
  recheck: () => void;
}

/**
 * Runs an action the way principle 6 asks: write to the database first; in Live mode also call
 * the Control API so pickup is immediate; in Backup mode (or when that call fails) the work is
 * queued and the caller says so. A failing Control API call flips the badge (re-check) and never
 * loses the action, because the write already happened.
 */
export async function executeWithFallback<T>(action: TFallbackAction<T>, deps: TFallbackDeps): Promise<TFallbackOutcome<T>> {
  let result: T;
  try {
    result = await action.write();
  } catch (err) {
    deps.recheck();
    const error = coerceError(err, "database_unreachable");
    throw new AppError(error.code, {
      message: `${error.message} — nothing was saved; check the connection badge and try again.`,
      cause: err,
    });
  }
  if (!action.notify || deps.getMode() !== "live") {
    return { result, pickup: "queued", notice: action.notify ? QUEUED_NOTICE : null };
  }
  try {
    await action.notify(result);
    return { result, pickup: "immediate", notice: null };
  } catch {
    deps.recheck();
    return { result, pickup: "queued", notice: QUEUED_NOTICE };
  }
}
