// The value lists SQL `check (column in (...))` constraints enforce, each once. Every exported
// array here must match its checks: supabase/tests/migrations/enums-match-checks.test.ts compares
// them with pg_constraint on a migrated database.

/** project_members.role: owners manage members; operators write; viewers only read. */
export const MEMBER_ROLES = ["owner", "operator", "viewer"] as const;
/** One of MEMBER_ROLES. */
export type TMemberRole = (typeof MEMBER_ROLES)[number];

/** agents.provider: the kinds of LLM provider an agent can run on. */
export const AGENT_PROVIDERS = ["builtin", "openai_compatible", "anthropic"] as const;
/** One of AGENT_PROVIDERS. */
export type TAgentProvider = (typeof AGENT_PROVIDERS)[number];

/** agents.verbosity: how long an agent's replies should be. */
export const AGENT_VERBOSITIES = ["concise", "normal", "detailed"] as const;

/** agent_status.status: what an agent shows on the roster. */
export const AGENT_STATUSES = ["idle", "working", "waiting", "error", "offline"] as const;

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

/** action_proposals.action_type: the actions an agent can propose; the database refuses any other. */
export const ACTION_TYPES = ["create_task", "schedule_job", "edit_doc", "send_message", "api_call", "file_write"] as const;

/** action_proposals.status: proposed -> approved | rejected | expired; approved -> executing -> executed | failed (enforced in SQL). */
export const ACTION_PROPOSAL_STATUSES = ["proposed", "approved", "rejected", "expired", "executing", "executed", "failed"] as const;

/** action_proposals.risk and agents.risk_tolerance: one scale, so a proposal's risk compares with an agent's tolerance. */
export const RISK_LEVELS = ["low", "medium", "high"] as const;

/** action_proposals.reversibility. */
export const REVERSIBILITIES = ["reversible", "partial", "irreversible"] as const;
