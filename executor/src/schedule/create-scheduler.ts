import { createIntervalLoop, type TIntervalLoop } from "../worker/create-interval-loop.ts";
import { runSchedulerTick, type TSchedulerDeps } from "./run-scheduler-tick.ts";

/**
 * The scheduler: a loop that runs one scheduler tick every `tickMs` (SCHEDULER_TICK_MS), with the
 * interval loop's states, abortable sleep and back-off after a failed tick.
 */
export function createScheduler(deps: TSchedulerDeps & { tickMs: number }): TIntervalLoop {
  return createIntervalLoop({
    name: "scheduler",
    intervalMs: deps.tickMs,
    log: deps.log,
    tick: async () => {
      // A full batch means more jobs may be due: read again before sleeping.
      for (;;) {
        const report = await runSchedulerTick(deps);
        if (report.jobs < deps.batchSize) return;
      }
    },
  });
}
