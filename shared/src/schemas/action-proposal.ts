import { z } from "zod";
import {
  ACTION_PROPOSAL_STATUSES,
  type ACTION_TYPES,
  REVERSIBILITIES,
  RISK_LEVELS,
  SCHEDULE_KINDS,
  TASK_PRIORITIES,
} from "./column-enums.ts";

/** An agent key as the database accepts it. */
export const ZAgentKey = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "an agent key: lower-case letters, digits, _ or -");
const ZTimestamp = z.iso.datetime({ offset: true });

/** A definition-of-done item, as tasks.definition_of_done stores it. */
export const ZChecklistItem = z.strictObject({ text: z.string().trim().min(1).max(500), done: z.boolean() });

/** create_task: a new kanban card (agents cannot create tasks directly). */
export const ZCreateTaskParams = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(50_000).optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  labels: z.array(z.string().min(1).max(50)).max(20).optional(),
  assignee_agent_key: ZAgentKey.optional(),
  due_at: ZTimestamp.optional(),
  definition_of_done: z.array(ZChecklistItem).max(50).optional(),
});

/** schedule_job: a row in cron_mirror. */
export const ZScheduleJobParams = z.strictObject({
  name: z.string().trim().min(1).max(120),
  schedule_kind: z.enum(SCHEDULE_KINDS),
  schedule_expr: z.string().trim().min(1).max(200),
  job_intent: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .optional(),
  instructions: z.string().max(20_000).optional(),
  target_agent_key: ZAgentKey.optional(),
  enabled: z.boolean().optional(),
});

/** edit_doc: replace the content of a brain doc (project-wide when agent_key is null). */
export const ZEditDocParams = z.strictObject({
  doc_type: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  agent_key: ZAgentKey.nullable().optional(),
  title: z.string().max(200).optional(),
  content: z.string().max(200_000),
});

/** send_message: post into the Team Room or a DM. */
export const ZSendMessageParams = z.strictObject({
  thread_key: z.string().regex(/^(team-room|DM:[a-z][a-z0-9_-]{0,31})$/, "team-room or DM:<agent_key>"),
  content: z.string().trim().min(1).max(20_000),
});

/** api_call: one HTTP request to a host on the project's allowlist (checked by the executor). */
export const ZApiCallParams = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.json().optional(),
  timeout_ms: z.int().min(100).max(60_000).optional(),
});

/** A path relative to the workspace that cannot leave it (the executor resolves it again, symlinks included). */
export const ZWorkspacePath = z
  .string()
  .min(1)
  .max(500)
  .refine(
    (p) => !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes(".."),
    "a relative path inside the workspace, without ..",
  )
  .refine((p) => !p.includes("\0"), "no NUL bytes");

/** file_write: write a file inside the configured workspace; the path must stay inside it. */
export const ZFileWriteParams = z.strictObject({
  path: ZWorkspacePath,
  content: z.string().max(1_000_000),
});

/**
 * apply_changeset: write the files of a changeset (changeset_files) listed in `paths`. The agent
 * proposes every file; approving some files and rejecting others is an approval with `paths`
 * narrowed to the accepted ones (the edited params the approval is bound to).
 */
export const ZApplyChangesetParams = z.strictObject({
  changeset_id: z.uuid(),
  paths: z.array(ZWorkspacePath).min(1, "approve at least one file, or reject the changeset").max(200),
});

/** The params of each action type, keyed by type. */
export const ACTION_PARAMS_SCHEMAS = {
  create_task: ZCreateTaskParams,
  schedule_job: ZScheduleJobParams,
  edit_doc: ZEditDocParams,
  send_message: ZSendMessageParams,
  api_call: ZApiCallParams,
  file_write: ZFileWriteParams,
  apply_changeset: ZApplyChangesetParams,
} as const satisfies Record<(typeof ACTION_TYPES)[number], z.ZodType>;

/** `{action_type, params}` validated per action type. */
export const ZActionProposalParams = z.discriminatedUnion("action_type", [
  z.object({ action_type: z.literal("create_task"), params: ZCreateTaskParams }),
  z.object({ action_type: z.literal("schedule_job"), params: ZScheduleJobParams }),
  z.object({ action_type: z.literal("edit_doc"), params: ZEditDocParams }),
  z.object({ action_type: z.literal("send_message"), params: ZSendMessageParams }),
  z.object({ action_type: z.literal("api_call"), params: ZApiCallParams }),
  z.object({ action_type: z.literal("file_write"), params: ZFileWriteParams }),
  z.object({ action_type: z.literal("apply_changeset"), params: ZApplyChangesetParams }),
]);
export type TActionProposalParams = z.infer<typeof ZActionProposalParams>;
export type TActionType = TActionProposalParams["action_type"];

/** What an agent submits to propose an action (the executor inserts it into action_proposals). */
export const ZActionProposalInput = z.intersection(
  ZActionProposalParams,
  z.object({
    summary: z.string().max(500).optional(),
    risk: z.enum(RISK_LEVELS),
    blast_radius: z.string().max(2000).optional(),
    reversibility: z.enum(REVERSIBILITIES),
    rollback_plan: z.string().max(5000).optional(),
    expires_at: ZTimestamp.optional(),
    task_id: z.uuid().nullable().optional(),
    thread_id: z.uuid().nullable().optional(),
    revision_of: z.uuid().nullable().optional(),
  }),
);
export type TActionProposalInput = z.infer<typeof ZActionProposalInput>;

/** A row of public.action_proposals, with its params validated for its action type. */
export const ZActionProposal = z.intersection(
  ZActionProposalParams,
  z.object({
    id: z.uuid(),
    project_id: z.uuid(),
    summary: z.string(),
    params_hash: z.string().regex(/^[0-9a-f]{64}$/),
    risk: z.enum(RISK_LEVELS),
    blast_radius: z.string(),
    reversibility: z.enum(REVERSIBILITIES),
    rollback_plan: z.string(),
    expires_at: ZTimestamp,
    proposed_by_agent_key: ZAgentKey,
    task_id: z.uuid().nullable(),
    thread_id: z.uuid().nullable(),
    revision_of: z.uuid().nullable(),
    status: z.enum(ACTION_PROPOSAL_STATUSES),
    resolved_by: z.uuid().nullable(),
    resolved_at: ZTimestamp.nullable(),
    resolution_comment: z.string().nullable(),
    approved_params_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    claimed_by: z.string().nullable(),
    execution_started_at: ZTimestamp.nullable(),
    finished_at: ZTimestamp.nullable(),
    execution_result: z.json().nullable(),
    error: z.string().nullable(),
    created_at: ZTimestamp,
    updated_at: ZTimestamp,
    seq: z.number().int(),
  }),
);
export type TActionProposal = z.infer<typeof ZActionProposal>;
