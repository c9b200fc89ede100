import type { TRun } from "@mission-control/shared/rows";
import type { TRunOrigin, TRunStatus } from "@mission-control/shared/schemas";

/** A run's status in words. */
export const RUN_STATUS_LABELS: Record<TRunStatus, string> = {
  queued: "Queued",
  running: "Running",
  needs_approval: "Needs approval",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** What started a run, in words ("started by …"). */
export const RUN_ORIGIN_LABELS: Record<TRunOrigin, string> = {
  assignment: "task assigned",
  mention: "@mention in a task",
  comment: "task comment",
  command: "slash command",
  dm: "direct message",
  runs_page: "Runs page",
  revision: "revision requested",
  handoff: "hand-off",
  test_after_apply: "test after apply",
  schedule: "scheduled job",
};

/** A duration for a ticking clock: "8 s", "3 min 05 s", "1 h 02 min", "2 d 4 h". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * How long a run has taken: from its start (or, while queued, from its creation) to its end, or
 * to `now` while it is not over.
 */
export function runElapsedMs(run: Pick<TRun, "created_at" | "started_at" | "finished_at">, now: number): number {
  const from = Date.parse(run.started_at ?? run.created_at);
  const to = run.finished_at ? Date.parse(run.finished_at) : now;
  return Math.max(0, to - from);
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A token count for a dense table: "850", "12.3K", "1.2M". */
export function formatTokenCount(value: number): string {
  return compact.format(Math.max(0, Math.round(value)));
}

/** A run's tokens: "12.3K in · 1.1K out", or "—" before its first model call. */
export function formatRunTokens(run: Pick<TRun, "input_tokens" | "output_tokens">): string {
  if (run.input_tokens === 0 && run.output_tokens === 0) return "—";
  return `${formatTokenCount(run.input_tokens)} in · ${formatTokenCount(run.output_tokens)} out`;
}

/** A run's step: "step 3/12 · reading src/app.ts", or what it is waiting for when no step is set. */
export function formatRunStep(run: Pick<TRun, "status" | "current_step" | "step_count" | "max_steps">): string {
  const step = run.current_step.trim();
  const count = run.step_count > 0 ? `step ${run.step_count}/${run.max_steps}` : "";
  if (step && count) return `${count} · ${step}`;
  if (step || count) return step || count;
  if (run.status === "queued") return "waiting for the executor";
  if (run.status === "needs_approval") return "waiting for a decision";
  return "";
}
