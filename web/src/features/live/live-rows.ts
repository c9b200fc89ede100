import { z } from "zod";

// Rows as they arrive from PostgREST and from realtime payloads (the edge): parsed, never trusted.
// Unknown columns are dropped; seq comes as a JSON number from both.

const seq = z.coerce.number();
const json = z.record(z.string(), z.unknown());

/** A project the user belongs to. */
export const ZProject = z.object({ id: z.string(), name: z.string(), slug: z.string(), seq });
/** A project row. */
export type TProject = z.infer<typeof ZProject>;

/** A membership: who may do what in a project. */
export const ZProjectMember = z.object({
  project_id: z.string(),
  user_id: z.string(),
  role: z.enum(["owner", "operator", "viewer"]),
  seq,
});
/** A project_members row. */
export type TProjectMember = z.infer<typeof ZProjectMember>;

/** A setting of a project: key → jsonb. */
export const ZProjectSetting = z.object({ project_id: z.string(), key: z.string(), value: z.unknown(), updated_at: z.string(), seq });
/** A project_settings row. */
export type TProjectSetting = z.infer<typeof ZProjectSetting>;

/** An agent and the profile fields the dashboard shows. */
export const ZAgent = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string(),
  display_name: z.string(),
  role: z.string(),
  enabled: z.boolean(),
  provider: z.string(),
  model: z.string(),
  max_context_tokens: z.number(),
  seq,
});
/** An agents row. */
export type TAgent = z.infer<typeof ZAgent>;

/** What an agent is doing now. */
export const ZAgentStatus = z.object({
  agent_id: z.string(),
  project_id: z.string(),
  status: z.enum(["idle", "working", "waiting", "error", "offline"]),
  current_action: z.string(),
  last_seen_at: z.string().nullable(),
  context_usage: json,
  last_model: z.string().nullable(),
  updated_at: z.string(),
  seq,
});
/** An agent_status row. */
export type TAgentStatus = z.infer<typeof ZAgentStatus>;

/** An entry of the project feed. */
export const ZActivity = z.object({
  id: z.coerce.string(),
  project_id: z.string(),
  actor_type: z.string(),
  actor: z.string(),
  kind: z.string(),
  summary: z.string(),
  created_at: z.string(),
  seq,
});
/** An activities row. */
export type TActivity = z.infer<typeof ZActivity>;

/** A knowledge document (the mission is doc_type 'mission' with no agent). */
export const ZBrainDoc = z.object({
  id: z.string(),
  project_id: z.string(),
  agent_key: z.string().nullable(),
  doc_type: z.string(),
  title: z.string(),
  content: z.string(),
  seq,
});
/** A brain_docs row. */
export type TBrainDoc = z.infer<typeof ZBrainDoc>;

/** A conversation thread: the Team Room or a DM. */
export const ZChatThread = z.object({
  id: z.string(),
  project_id: z.string(),
  kind: z.string(),
  thread_key: z.string(),
  agent_key: z.string().nullable(),
  title: z.string(),
  seq,
});
/** A project_chat_threads row. */
export type TChatThread = z.infer<typeof ZChatThread>;

/** A chat message from the operator, an agent or the system. */
export const ZChatMessage = z.object({
  id: z.string(),
  project_id: z.string(),
  thread_id: z.string(),
  author_type: z.enum(["user", "agent", "system"]),
  author_user_id: z.string().nullable(),
  author_agent_key: z.string().nullable(),
  target_agent_keys: z.array(z.string()),
  message_type: z.string(),
  content: z.string(),
  metadata: json,
  status: z.enum(["sent", "delivered", "read", "failed"]),
  reply_to: z.string().nullable(),
  created_at: z.string(),
  seq,
});
/** A project_chat_messages row. */
export type TChatMessage = z.infer<typeof ZChatMessage>;

/** The delivery of one message to one agent. */
export const ZChatDelivery = z.object({
  id: z.string(),
  project_id: z.string(),
  message_id: z.string(),
  agent_key: z.string(),
  status: z.enum(["queued", "delivered", "processed", "failed"]),
  attempts: z.number(),
  error: z.string().nullable(),
  updated_at: z.string(),
  seq,
});
/** A chat_delivery_queue row. */
export type TChatDelivery = z.infer<typeof ZChatDelivery>;

/** Reply metadata the executor stores with an agent's message. */
export const ZReplyMetadata = z.object({
  model: z.string().optional(),
  provider: z.string().optional(),
  offline: z.boolean().optional(),
  usage: z.object({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).partial().optional(),
});
/** What the UI shows under an agent's reply. */
export type TReplyMetadata = z.infer<typeof ZReplyMetadata>;

/** A kanban status, in board order (blocked last). */
export const TASK_STATUSES = ["inbox", "assigned", "in_progress", "review", "done", "blocked"] as const;
/** One of TASK_STATUSES. */
export type TTaskStatus = (typeof TASK_STATUSES)[number];
/** Task priorities, lowest first. */
export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** A kanban task. */
export const ZTask = z.object({
  id: z.string(),
  project_id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(TASK_STATUSES),
  assignee_agent_key: z.string().nullable(),
  priority: z.enum(TASK_PRIORITIES),
  labels: z.array(z.string()),
  due_at: z.string().nullable(),
  definition_of_done: z.array(z.object({ text: z.string(), done: z.boolean() })).catch([]),
  position: z.coerce.number(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A tasks row. */
export type TTask = z.infer<typeof ZTask>;

/** An entry of a task's timeline (append-only). */
export const ZTaskEvent = z.object({
  id: z.string(),
  project_id: z.string(),
  task_id: z.string(),
  kind: z.enum(["comment", "status_change", "output_added", "agent_update", "approval_request", "approval_resolved"]),
  author_type: z.enum(["user", "agent", "system"]),
  author_user_id: z.string().nullable(),
  author_agent_key: z.string().nullable(),
  content: z.string(),
  metadata: json,
  proposal_id: z.string().nullable(),
  legacy_source: z.string().nullable(),
  legacy_id: z.string().nullable(),
  created_at: z.string(),
  seq,
});
/** A task_events row. */
export type TTaskEvent = z.infer<typeof ZTaskEvent>;

/** Proposal states (the state machine lives in SQL). */
export const PROPOSAL_STATUSES = ["proposed", "approved", "rejected", "expired", "executing", "executed", "failed"] as const;

/**
 * An action an agent proposes. Params stay a plain object here (the edge of the store); the
 * approval card validates them per action type with the shared schemas.
 */
export const ZProposal = z.object({
  id: z.string(),
  project_id: z.string(),
  action_type: z.string(),
  summary: z.string(),
  params: json,
  params_hash: z.string(),
  risk: z.enum(["low", "medium", "high"]),
  blast_radius: z.string(),
  reversibility: z.enum(["reversible", "partial", "irreversible"]),
  rollback_plan: z.string(),
  expires_at: z.string(),
  proposed_by_agent_key: z.string(),
  task_id: z.string().nullable(),
  thread_id: z.string().nullable(),
  revision_of: z.string().nullable(),
  status: z.enum(PROPOSAL_STATUSES),
  resolved_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  resolution_comment: z.string().nullable(),
  execution_started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  execution_result: z.unknown().nullable().optional(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** An action_proposals row. */
export type TProposal = z.infer<typeof ZProposal>;
