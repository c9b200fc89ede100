import type { TRun } from "@mission-control/shared/rows";
import { formatDuration } from "../approvals/format-age.ts";
import type { TConnectionMode } from "../live/live-store.ts";
import { isActiveRun } from "./active-run-statuses.ts";
import { formatRunStep, RUN_STATUS_LABELS } from "./format-run.ts";

/** The line a task page shows about the agent work on it right now. */
export interface TTaskWork {
  run: TRun;
  /** "working": an agent works now; "waiting": queued or waiting for a decision; "offline": the executor is away (Backup). */
  tone: "working" | "waiting" | "offline";
  text: string;
}

/**
 * What the task page says about its runs now, from the newest active run: "@backend is working
 * on this now · step 3/12 · reading README.md", "@backend waits for your approval", "@backend
 * starts when the executor picks the run up". In Backup mode nobody can be working: it says
 * "agent offline: last known state" with the state and its age. Null when no run is active.
 */
export function describeTaskWork(taskRuns: readonly TRun[], mode: TConnectionMode, now: number): TTaskWork | null {
  const run = [...taskRuns].filter(isActiveRun).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
  if (!run) return null;
  const who = `@${run.agent_key}`;
  const step = formatRunStep(run);
  if (mode === "backup" || mode === "offline") {
    const age = now - Date.parse(run.updated_at);
    const when = age < 60_000 ? "just now" : `${formatDuration(age)} ago`;
    // A decision needs no executor: the operator can still give it.
    if (run.status === "needs_approval") {
      return { run, tone: "waiting", text: `${who} waits for your approval · agent offline: last known state · ${when}` };
    }
    const state = [RUN_STATUS_LABELS[run.status].toLowerCase(), run.status === "running" ? step : ""].filter(Boolean).join(", ");
    return { run, tone: "offline", text: `${who}: agent offline: last known state · ${state} · ${when}` };
  }
  switch (run.status) {
    case "running":
      return { run, tone: "working", text: `${who} is working on this now${step ? ` · ${step}` : ""}` };
    case "needs_approval":
      return { run, tone: "waiting", text: `${who} waits for your approval` };
    default:
      return { run, tone: "waiting", text: `${who} starts when the executor picks the run up` };
  }
}
