import type { TProposal, TTask, TTaskEvent } from "@mission-control/shared/rows";

/** A legacy task_comments row (read for compatibility; not live). */
export interface TLegacyComment {
  id: string;
  task_id: string;
  author: string;
  body: string;
  created_at: string;
}

/** A legacy task_outputs row (read for compatibility; not live). */
export interface TLegacyOutput {
  id: string;
  task_id: string;
  author: string;
  title: string;
  content: string;
  url: string | null;
  created_at: string;
}

/** One entry of a task thread as the screen shows it. */
export type TThreadItem =
  | { kind: "description"; key: string; at: string; task: TTask }
  | { kind: "event"; key: string; at: string; event: TTaskEvent }
  | { kind: "approval"; key: string; at: string; proposal: TProposal | undefined; proposalId: string; event: TTaskEvent | undefined }
  | { kind: "legacy_comment"; key: string; at: string; comment: TLegacyComment }
  | { kind: "legacy_output"; key: string; at: string; output: TLegacyOutput };

/** Sort rank on a timestamp tie: the description first, then requests before their outcomes. */
const RANK: Record<string, number> = { description: 0, approval: 1, event: 2, legacy_comment: 2, legacy_output: 2 };

/**
 * Merges everything a task thread shows into one chronological list: the description (at the
 * task's creation), the timeline's events, one approval card per proposal (at its approval_request
 * event, or at the proposal's creation if that event is not loaded), and legacy comments and outputs
 * that the backfill has not copied into the timeline yet (a backfilled row is shown once, from
 * task_events). Sorted by time, then description / card / rest, then a stable key.
 */
export function mergeTaskThread(input: {
  task: TTask;
  events: readonly TTaskEvent[];
  proposals: readonly TProposal[];
  legacyComments?: readonly TLegacyComment[];
  legacyOutputs?: readonly TLegacyOutput[];
}): TThreadItem[] {
  const { task } = input;
  const items: TThreadItem[] = [{ kind: "description", key: `task:${task.id}`, at: task.created_at, task }];
  const events = input.events.filter((e) => e.task_id === task.id);
  const proposalsById = new Map(input.proposals.filter((p) => p.task_id === task.id).map((p) => [p.id, p]));
  const backfilled = new Set(events.filter((e) => e.legacy_id).map((e) => `${e.legacy_source}:${e.legacy_id}`));
  const carded = new Set<string>();

  for (const event of events) {
    if (event.kind === "approval_request" && event.proposal_id) {
      if (carded.has(event.proposal_id)) continue;
      carded.add(event.proposal_id);
      const proposal = proposalsById.get(event.proposal_id);
      items.push({
        kind: "approval",
        key: `proposal:${event.proposal_id}`,
        at: event.created_at,
        proposal,
        proposalId: event.proposal_id,
        event,
      });
    } else {
      items.push({ kind: "event", key: `event:${event.id}`, at: event.created_at, event });
    }
  }
  for (const proposal of proposalsById.values()) {
    if (carded.has(proposal.id)) continue;
    items.push({
      kind: "approval",
      key: `proposal:${proposal.id}`,
      at: proposal.created_at,
      proposal,
      proposalId: proposal.id,
      event: undefined,
    });
  }
  for (const comment of input.legacyComments ?? []) {
    if (comment.task_id !== task.id || backfilled.has(`task_comments:${comment.id}`)) continue;
    items.push({ kind: "legacy_comment", key: `legacy-comment:${comment.id}`, at: comment.created_at, comment });
  }
  for (const output of input.legacyOutputs ?? []) {
    if (output.task_id !== task.id || backfilled.has(`task_outputs:${output.id}`)) continue;
    items.push({ kind: "legacy_output", key: `legacy-output:${output.id}`, at: output.created_at, output });
  }
  return items.sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at) || (RANK[a.kind] ?? 2) - (RANK[b.kind] ?? 2) || a.key.localeCompare(b.key),
  );
}
