import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { RunNotRunningError, recordRunProgress, type TRunEventInput, type TRunProgress } from "./run-rpcs.ts";

/** How long progress without an event may wait before it is written (the Runs page ticks with it). */
const PROGRESS_DELAY_MS = 300;

/** Writes one run's timeline and progress in order, coalescing progress between events. */
export interface TRunRecorder {
  /**
   * Appends an event (with the progress gathered so far and `progress`); resolves when written.
   * Rejects with RunNotRunningError once the run is no longer running here (cancelled).
   */
  event(event: TRunEventInput, progress?: TRunProgress): Promise<void>;
  /** Merges progress into the next write (within PROGRESS_DELAY_MS); never rejects. */
  progress(progress: TRunProgress): void;
  /** Writes what is waiting; rejects like `event`. */
  flush(): Promise<void>;
}

/**
 * Creates the recorder of one run: every write goes through record_ai_run_progress, one at a time,
 * in order. Progress (current step, step count, token and cost deltas, the effective settings)
 * is merged — deltas add up, the rest keeps the latest — and rides along with the next event, or is
 * written on its own after PROGRESS_DELAY_MS. Once the database refuses a write because the run is
 * not running here any more, every later write rejects at once without a round trip.
 */
export function createRunRecorder(options: { db: TDb; executorId: string; runId: string; log: Logger }): TRunRecorder {
  let chain: Promise<void> = Promise.resolve();
  let pending: TRunProgress = {};
  let timer: NodeJS.Timeout | null = null;
  let refused: RunNotRunningError | null = null;

  const take = (): TRunProgress => {
    const taken = pending;
    pending = {};
    if (timer) clearTimeout(timer);
    timer = null;
    return taken;
  };
  const write = (events: TRunEventInput[], progress: TRunProgress): Promise<void> => {
    const next = chain.then(async () => {
      if (refused) throw refused;
      if (events.length === 0 && Object.keys(progress).length === 0) return;
      try {
        await recordRunProgress(options.db, { executorId: options.executorId, runId: options.runId, events, progress });
      } catch (err) {
        if (err instanceof RunNotRunningError) refused = err;
        throw err;
      }
    });
    chain = next.catch(() => {});
    return next;
  };

  return {
    event(event, progress) {
      if (progress) merge(pending, progress);
      return write([event], take());
    },
    progress(progress) {
      merge(pending, progress);
      timer ??= setTimeout(() => {
        write([], take()).catch((err: unknown) => {
          if (!(err instanceof RunNotRunningError)) options.log.warn({ err }, "could not record the run's progress");
        });
      }, PROGRESS_DELAY_MS);
    },
    flush() {
      return write([], take());
    },
  };
}

function merge(into: TRunProgress, add: TRunProgress): void {
  if (add.current_step !== undefined) into.current_step = add.current_step;
  if (add.step_count !== undefined) into.step_count = Math.max(into.step_count ?? 0, add.step_count);
  if (add.settings !== undefined) into.settings = add.settings;
  for (const key of ["input_tokens_delta", "output_tokens_delta", "cost_usd_delta"] as const) {
    const value = add[key];
    if (value !== undefined) into[key] = (into[key] ?? 0) + value;
  }
}
