import type { TProposal, TTask, TTaskEvent } from "@mission-control/shared/rows";

/** A task row for unit tests. */
export function taskRow(id: string, over: Partial<TTask> = {}): TTask {
  return {
    id,
    project_id: "p1",
    title: id,
    description: "",
    status: "inbox",
    assignee_agent_key: null,
    priority: "normal",
    labels: [],
    due_at: null,
    definition_of_done: [],
    position: 1,
    created_by: null,
    created_at: "2026-11-21T08:00:00Z",
    updated_at: "2026-11-21T08:00:00Z",
    seq: 1,
    ...over,
  };
}

/** A task_events row for unit tests. */
export function eventRow(id: string, over: Partial<TTaskEvent> = {}): TTaskEvent {
  return {
    id,
    project_id: "p1",
    task_id: "t1",
    kind: "comment",
    author_type: "user",
    author_user_id: "u1",
    author_agent_key: null,
    content: id,
    metadata: {},
    proposal_id: null,
    legacy_source: null,
    legacy_id: null,
    created_at: "2026-11-21T08:00:00Z",
    seq: 1,
    ...over,
  };
}

/** An action_proposals row for unit tests. */
export function proposalRow(id: string, over: Partial<TProposal> = {}): TProposal {
  return {
    id,
    project_id: "p1",
    action_type: "file_write",
    summary: "",
    params: { path: "notes/a.md", content: "hello\n" },
    params_hash: "h",
    risk: "low",
    blast_radius: "",
    reversibility: "reversible",
    rollback_plan: "",
    expires_at: "2026-11-22T08:00:00Z",
    proposed_by_agent_key: "web",
    task_id: "t1",
    thread_id: null,
    revision_of: null,
    status: "proposed",
    resolved_by: null,
    resolved_at: null,
    resolution_comment: null,
    execution_started_at: null,
    finished_at: null,
    execution_result: null,
    error: null,
    created_at: "2026-11-21T08:00:00Z",
    updated_at: "2026-11-21T08:00:00Z",
    seq: 1,
    ...over,
  };
}
