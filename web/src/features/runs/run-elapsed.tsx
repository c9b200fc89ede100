"use client";

import type { TRun } from "@mission-control/shared/rows";
import { useNow } from "../ui/use-now.ts";
import { isActiveRun } from "./active-run-statuses.ts";
import { formatElapsed, runElapsedMs } from "./format-run.ts";

/** A run's elapsed time, ticking every second while it is not over. */
export function RunElapsed({ run }: { run: TRun }) {
  const active = isActiveRun(run);
  // A finished run's time does not change: it needs no clock.
  const now = useNow(active ? 1000 : 3_600_000);
  return (
    <span title={run.started_at ? `started ${new Date(run.started_at).toLocaleString()}` : "not started yet"}>
      {formatElapsed(runElapsedMs(run, now))}
    </span>
  );
}
