import type { TChangeset, TChangesetFile, TProposal, TRun, TRunEvent, TTask, TTaskEvent } from "@mission-control/shared/rows";

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

/** An ai_runs row for unit tests. */
export function runRow(id: string, over: Partial<TRun> = {}): TRun {
  return {
    id,
    project_id: "p1",
    agent_id: "a1",
    agent_key: "backend",
    mode: "implement",
    status: "running",
    origin: "assignment",
    goal: "Add a CHANGELOG entry",
    constraints: "",
    task_id: "t1",
    thread_id: null,
    parent_run_id: null,
    iteration: 1,
    participants: ["backend"],
    settings: {},
    step_count: 0,
    max_steps: 12,
    current_step: "",
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: null,
    requested_by: null,
    claimed_by: null,
    attempts: 0,
    cancel_requested_at: null,
    result_summary: null,
    error: null,
    created_at: "2026-12-01T10:00:00Z",
    started_at: null,
    finished_at: null,
    updated_at: "2026-12-01T10:00:00Z",
    seq: 1,
    ...over,
  };
}

/** An ai_run_events row for unit tests. */
export function runEventRow(id: string, over: Partial<TRunEvent> = {}): TRunEvent {
  return {
    id,
    project_id: "p1",
    run_id: "r1",
    kind: "message",
    agent_key: "backend",
    summary: id,
    data: {},
    created_at: "2026-12-01T10:00:00Z",
    seq: 1,
    ...over,
  };
}

/** A changesets row for unit tests. */
export function changesetRow(id: string, over: Partial<TChangeset> = {}): TChangeset {
  return {
    id,
    project_id: "p1",
    run_id: "r1",
    task_id: "t1",
    agent_key: "backend",
    proposal_id: "pr1",
    summary: "Add a CHANGELOG entry",
    risk: "low",
    status: "proposed",
    files_count: 1,
    additions: 1,
    deletions: 0,
    applied_paths: [],
    applied_at: null,
    rollback_requested_at: null,
    rolled_back_at: null,
    error: null,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    seq: 1,
    ...over,
  };
}

/** A changeset_files row for unit tests. */
export function changesetFileRow(id: string, over: Partial<TChangesetFile> = {}): TChangesetFile {
  return {
    id,
    project_id: "p1",
    changeset_id: "c1",
    position: 0,
    path: "CHANGELOG.md",
    change_kind: "modify",
    base_sha256: "aaa",
    base_content: "# Changelog\n",
    new_content: "# Changelog\n\n- Runs\n",
    new_sha256: "bbb",
    unified_diff: "",
    rationale: "",
    risk_notes: "",
    additions: 2,
    deletions: 0,
    decision: "pending",
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    seq: 1,
    ...over,
  };
}
