import type { TRunStatus } from "@mission-control/shared/schemas";

/** The statuses of a run that is not over yet: an agent works on it, or it waits (for the executor or a decision). */
export const ACTIVE_RUN_STATUSES = ["queued", "running", "needs_approval"] as const satisfies readonly TRunStatus[];

/** True while a run is not over (it can still be cancelled). */
export function isActiveRun(run: { status: TRunStatus }): boolean {
  return (ACTIVE_RUN_STATUSES as readonly TRunStatus[]).includes(run.status);
}
