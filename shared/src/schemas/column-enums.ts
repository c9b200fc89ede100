// The value lists SQL `check (column in (...))` constraints enforce, each once. Every exported
// array here must match its checks: supabase/tests/migrations/enums-match-checks.test.ts compares
// them with pg_constraint on a migrated database.

/** project_members.role: owners manage members; operators write; viewers only read. */
export const MEMBER_ROLES = ["owner", "operator", "viewer"] as const;
/** One of MEMBER_ROLES. */
export type TMemberRole = (typeof MEMBER_ROLES)[number];

/** project_invites.status: queued (the executor mails it) -> sent -> accepted | revoked | failed. */
export const INVITE_STATUSES = ["queued", "sent", "accepted", "revoked", "failed"] as const;
/** One of INVITE_STATUSES. */
export type TInviteStatus = (typeof INVITE_STATUSES)[number];

/**
 * agents.provider: where an agent's model runs. `builtin` is the offline model; `openai_compatible`
 * and `anthropic` are the global connections from the executor's environment; `connection` is one of
 * the project's provider connections (agents.provider_connection_id). Null on the agent means
 * "the project default".
 */
export const AGENT_PROVIDERS = ["builtin", "openai_compatible", "anthropic", "connection"] as const;
/** One of AGENT_PROVIDERS. */
export type TAgentProvider = (typeof AGENT_PROVIDERS)[number];

/** agents.verbosity: how long an agent's replies should be. */
export const AGENT_VERBOSITIES = ["concise", "normal", "detailed"] as const;

/** agent_status.status: what an agent shows on the roster. */
export const AGENT_STATUSES = ["idle", "working", "waiting", "paused", "error", "offline"] as const;

/** Who wrote something: activities.actor_type, project_chat_messages.author_type, task_events.author_type. */
export const AUTHOR_TYPES = ["user", "agent", "system"] as const;

/** project_chat_threads.kind: the Team Room, a DM with one agent, or a task's thread. */
export const THREAD_KINDS = ["team_room", "dm", "task"] as const;

/** project_chat_messages.message_type. */
export const MESSAGE_TYPES = ["text", "task_proposal", "action_proposal", "system"] as const;

/** project_chat_messages.status. */
export const MESSAGE_STATUSES = ["sent", "delivered", "read", "failed"] as const;

/** chat_delivery_queue.status: queued -> delivered -> processed | failed (the state machine lives in SQL). */
export const DELIVERY_STATUSES = ["queued", "delivered", "processed", "failed"] as const;

/** tasks.status: the kanban columns, in board order (blocked last). */
export const TASK_STATUSES = ["inbox", "assigned", "in_progress", "review", "done", "blocked"] as const;
/** One of TASK_STATUSES. */
export type TTaskStatus = (typeof TASK_STATUSES)[number];

/** tasks.priority, lowest first. */
export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** task_events.kind: the entries of a task's timeline. */
export const TASK_EVENT_KINDS = [
  "comment",
  "status_change",
  "output_added",
  "agent_update",
  "approval_request",
  "approval_resolved",
] as const;

/** task_events.legacy_source: the legacy table a backfilled event came from. */
export const TASK_EVENT_LEGACY_SOURCES = ["task_comments", "task_outputs"] as const;

/** cron_mirror.schedule_kind: every <interval>, a cron expression, or once at a time. */
export const SCHEDULE_KINDS = ["every", "cron", "at"] as const;
/** One of SCHEDULE_KINDS. */
export type TScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** cron_mirror.missed_policy: what happens to due times that passed while no executor ran. */
export const MISSED_POLICIES = ["catch_up_once", "skip"] as const;
/** One of MISSED_POLICIES. */
export type TMissedPolicy = (typeof MISSED_POLICIES)[number];

/** cron_job_runs.status: one occurrence of a scheduled job (queued -> running -> final, or missed). */
export const CRON_JOB_RUN_STATUSES = ["queued", "running", "succeeded", "failed", "skipped", "missed"] as const;
/** One of CRON_JOB_RUN_STATUSES. */
export type TCronJobRunStatus = (typeof CRON_JOB_RUN_STATUSES)[number];

/** Status of a schedule request (cron_create / _job_patch / _delete / _run_requests): queued until an executor applies it, once. */
export const CRON_REQUEST_STATUSES = ["queued", "applied", "failed"] as const;
/** One of CRON_REQUEST_STATUSES. */
export type TCronRequestStatus = (typeof CRON_REQUEST_STATUSES)[number];

/** cron_job_runs.produced_kind: what an occurrence produced (an ai_run, a chat delivery, an activity). */
export const CRON_PRODUCED_KINDS = ["run", "delivery", "activity"] as const;
/** One of CRON_PRODUCED_KINDS. */
export type TCronProducedKind = (typeof CRON_PRODUCED_KINDS)[number];

/** action_proposals.action_type: the actions an agent can propose; the database refuses any other. */
export const ACTION_TYPES = [
  "create_task",
  "schedule_job",
  "edit_doc",
  "send_message",
  "api_call",
  "file_write",
  "apply_changeset",
] as const;

/** action_proposals.status: proposed -> approved | rejected | expired; approved -> executing -> executed | failed (enforced in SQL). */
export const ACTION_PROPOSAL_STATUSES = ["proposed", "approved", "rejected", "expired", "executing", "executed", "failed"] as const;

/** action_proposals.risk and agents.risk_tolerance: one scale, so a proposal's risk compares with an agent's tolerance. */
export const RISK_LEVELS = ["low", "medium", "high"] as const;

/** action_proposals.reversibility. */
export const REVERSIBILITIES = ["reversible", "partial", "irreversible"] as const;

/** provider_connections.kind: an OpenAI-compatible endpoint, Anthropic, or a CLI program run in the workspace. */
export const PROVIDER_CONNECTION_KINDS = ["openai_compatible", "anthropic", "cli"] as const;
/** One of PROVIDER_CONNECTION_KINDS. */
export type TProviderConnectionKind = (typeof PROVIDER_CONNECTION_KINDS)[number];

/**
 * agents.tools_enabled (each element): the tools an agent may use. READ_ONLY_TOOLS run directly in
 * the workspace; every other tool is an action it may propose (apply_changeset is offered to the
 * model as `propose_changeset`); hand_off passes the run's work to another agent with a note; an
 * action not listed here is refused with a reason, never shown as a card, and a tool not listed is
 * never offered to the model.
 */
export const AGENT_TOOLS = [
  "read_file",
  "list_files",
  "search_text",
  "read_task",
  "list_tasks",
  "create_task",
  "schedule_job",
  "edit_doc",
  "send_message",
  "api_call",
  "file_write",
  "apply_changeset",
  "hand_off",
] as const;
/** One of AGENT_TOOLS. */
export type TAgentTool = (typeof AGENT_TOOLS)[number];

/** agent_provision_requests.action. */
export const PROVISION_ACTIONS = ["create", "update", "delete"] as const;
/** One of PROVISION_ACTIONS. */
export type TProvisionAction = (typeof PROVISION_ACTIONS)[number];

/** agent_provision_requests.status: queued -> applied | failed. */
export const PROVISION_STATUSES = ["queued", "applied", "failed"] as const;

/** budgets.period: a UTC calendar day or month. */
export const BUDGET_PERIODS = ["day", "month"] as const;
/** budgets.unit: tokens (input + output) or US dollars (from model_prices). */
export const BUDGET_UNITS = ["tokens", "usd"] as const;

/** provider_calls.outcome: pending while the call runs (its reservation counts toward budgets). */
export const PROVIDER_CALL_OUTCOMES = ["pending", "ok", "error", "budget_exceeded"] as const;

/** budget_alerts.level: the soft warning and the hard stop, each posted once per budget and period. */
export const BUDGET_ALERT_LEVELS = ["soft", "hard"] as const;

/** The tools that only read (the workspace or the task board) and so run without an approval. */
export const READ_ONLY_TOOLS = ["read_file", "list_files", "search_text", "read_task", "list_tasks"] as const;
/** One of READ_ONLY_TOOLS. */
export type TReadOnlyTool = (typeof READ_ONLY_TOOLS)[number];

/** ai_runs.mode: one piece of agent work. */
export const RUN_MODES = ["plan", "implement", "test"] as const;
/** One of RUN_MODES. */
export type TRunMode = (typeof RUN_MODES)[number];

/**
 * ai_runs.status: queued -> running -> needs_approval -> completed | failed | cancelled (enforced
 * in SQL; running -> queued only when its executor's lease expired).
 */
export const RUN_STATUSES = ["queued", "running", "needs_approval", "completed", "failed", "cancelled"] as const;
/** One of RUN_STATUSES. */
export type TRunStatus = (typeof RUN_STATUSES)[number];

/** ai_runs.origin: what started a run. */
export const RUN_ORIGINS = [
  "assignment",
  "mention",
  "comment",
  "command",
  "dm",
  "runs_page",
  "revision",
  "handoff",
  "test_after_apply",
  "schedule",
] as const;
/** One of RUN_ORIGINS. */
export type TRunOrigin = (typeof RUN_ORIGINS)[number];

/** ai_run_events.kind: the entries of a run's live timeline. */
export const RUN_EVENT_KINDS = [
  "status",
  "message",
  "read_file",
  "tool_call",
  "propose_changeset",
  "test_start",
  "test_result",
  "needs_approval",
  "handoff",
  "error",
] as const;
/** One of RUN_EVENT_KINDS. */
export type TRunEventKind = (typeof RUN_EVENT_KINDS)[number];

/**
 * changesets.status: proposed -> applied | rejected | revision_requested | failed | expired;
 * applied -> rolled_back (enforced in SQL).
 */
export const CHANGESET_STATUSES = ["proposed", "applied", "rejected", "revision_requested", "failed", "expired", "rolled_back"] as const;
/** One of CHANGESET_STATUSES. */
export type TChangesetStatus = (typeof CHANGESET_STATUSES)[number];

/** changeset_files.change_kind. */
export const CHANGESET_FILE_KINDS = ["add", "modify", "delete"] as const;

/** changeset_files.decision: set when the changeset is resolved (accepted files are the ones applied). */
export const CHANGESET_FILE_DECISIONS = ["pending", "accepted", "rejected"] as const;

/** changeset_reviews.kind: a review comment on a changeset, a file or a line. */
export const CHANGESET_REVIEW_KINDS = ["revise", "question", "nit", "block"] as const;
/** One of CHANGESET_REVIEW_KINDS. */
export type TChangesetReviewKind = (typeof CHANGESET_REVIEW_KINDS)[number];

/** skills_mirror.status: every requirement met, something an operator can set up is missing, or a requirement this executor can never meet. */
export const SKILL_STATUSES = ["ready", "needs_setup", "blocked"] as const;
/** One of SKILL_STATUSES. */
export type TSkillStatus = (typeof SKILL_STATUSES)[number];

/** The kind of each element of skills.requirements (checked inside the jsonb by public.is_skill_requirements). */
export const SKILL_REQUIREMENT_KINDS = ["env", "program", "file", "connection", "setting"] as const;
/** One of SKILL_REQUIREMENT_KINDS. */
export type TSkillRequirementKind = (typeof SKILL_REQUIREMENT_KINDS)[number];
