import type { TActivity } from "@mission-control/shared/rows";
import { proposalHref } from "../approvals/proposal-href.ts";
import { threadPlace } from "../chat/thread-place.ts";

/** What an activity row is about, as links: the task, the message's thread, the proposal, the agent, the run. */
export interface TActivityLink {
  kind: "task" | "message" | "proposal" | "agent" | "run";
  label: string;
  href: string;
}

/** The system actors the database writes, in words; anything else a system wrote is an executor (its id, e.g. "vm-12699"). */
const SYSTEM_ACTORS: Record<string, string> = {
  system: "System",
  executor: "Executor",
  watchdog: "Watchdog",
  scheduler: "Scheduler",
  budgets: "Budgets",
};

/**
 * Who did it, in words: an agent by its display name, "You" or "Operator" for people, a system
 * actor by what it is, never a machine id (an executor writes its claim id, which means nothing to
 * the operator).
 */
export function describeActor(
  activity: Pick<TActivity, "actor_type" | "actor">,
  agentNames: ReadonlyMap<string, string>,
  myUserId: string,
): string {
  if (activity.actor_type === "agent") return agentNames.get(activity.actor) ?? activity.actor;
  if (activity.actor_type === "user") return activity.actor === myUserId ? "You" : "Operator";
  return SYSTEM_ACTORS[activity.actor] ?? "Executor";
}

const text = (ref: Record<string, unknown>, key: string) => (typeof ref[key] === "string" && ref[key] !== "" ? (ref[key] as string) : null);

/**
 * The links of one row, from its `ref` (written with it by the database): each thing it names
 * once. A message links to the page its thread is on (the Team Room, or the DM with its agent).
 */
export function activityLinks(input: {
  ref: Record<string, unknown>;
  projectSlug: string;
  agentNames: ReadonlyMap<string, string>;
  threadKeyOf: (threadId: string) => string | undefined;
  taskTitleOf: (taskId: string) => string | undefined;
}): TActivityLink[] {
  const { ref, projectSlug: slug } = input;
  const links: TActivityLink[] = [];
  const taskId = text(ref, "task_id");
  if (taskId) links.push({ kind: "task", label: input.taskTitleOf(taskId) ?? "Task", href: `/p/${slug}/tasks/${taskId}` });
  const proposalId = text(ref, "proposal_id");
  if (proposalId) links.push({ kind: "proposal", label: "Proposal", href: proposalHref(slug, proposalId) });
  const threadId = text(ref, "thread_id");
  const threadKey = threadId ? input.threadKeyOf(threadId) : undefined;
  if (threadKey && threadKey !== `task:${taskId}`) {
    const place = threadPlace(slug, threadKey, (key) => input.agentNames.get(key) ?? key, input.taskTitleOf);
    if (place) links.push({ kind: "message", ...place });
  }
  const runId = text(ref, "run_id");
  if (runId) links.push({ kind: "run", label: "Run", href: `/p/${slug}/runs/${runId}` });
  const agentKey = text(ref, "agent_key");
  if (agentKey && input.agentNames.has(agentKey)) {
    links.push({
      kind: "agent",
      label: input.agentNames.get(agentKey) ?? agentKey,
      href: `/p/${slug}/agents/${encodeURIComponent(agentKey)}`,
    });
  }
  return links;
}
