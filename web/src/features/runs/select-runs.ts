import type { TRun } from "@mission-control/shared/rows";
import { isActiveRun } from "./active-run-statuses.ts";

/** What the Runs page lists: active runs only, or every run it holds; one agent's or everyone's. */
export interface TRunFilter {
  show: "active" | "all";
  /** An agent_key, or null for every agent. */
  agentKey: string | null;
}

/** True when a run involves the agent: it started it, or it took part after a hand-off. */
function involves(run: TRun, agentKey: string): boolean {
  return run.agent_key === agentKey || run.participants.includes(agentKey);
}

/** Newest first by creation; the id breaks ties so the order never flickers. */
function newestFirst(a: TRun, b: TRun): number {
  return Date.parse(b.created_at) - Date.parse(a.created_at) || b.id.localeCompare(a.id);
}

/**
 * The Runs page's list: the project's runs matching the filter, active ones first (an operator
 * looks for what is going on now), each group newest first.
 */
export function selectRuns(runs: Readonly<Record<string, TRun>>, projectId: string, filter: TRunFilter): TRun[] {
  return Object.values(runs)
    .filter((run) => run.project_id === projectId)
    .filter((run) => filter.show === "all" || isActiveRun(run))
    .filter((run) => filter.agentKey === null || involves(run, filter.agentKey))
    .sort((a, b) => Number(isActiveRun(b)) - Number(isActiveRun(a)) || newestFirst(a, b));
}

/** A task's runs, newest first. */
export function selectTaskRuns(runs: Readonly<Record<string, TRun>>, taskId: string): TRun[] {
  return Object.values(runs)
    .filter((run) => run.task_id === taskId)
    .sort(newestFirst);
}
