import { AppError } from "@mission-control/shared/errors";
import { type TRun, type TTask, type TTaskEvent, ZRun, ZTask, ZTaskEvent } from "@mission-control/shared/rows";
import { type TRunSettings, ZRunSettings } from "@mission-control/shared/schemas";
import { z } from "zod";
import { type TReferencedDoc, ZReferencedDoc } from "../context/referenced-docs.ts";
import type { TAgentRow, TBrainDocRow, TMessageRow } from "../db/executor-client.ts";
import { ZAgentRow, ZBrainDocRow, ZMessageRow } from "../delivery/delivery-row-schemas.ts";
import { type TConnectionWithSecret, ZConnectionWithSecret } from "../providers/connection-to-provider-config.ts";
import { type TSkillGate, ZSkillGate } from "../skills/read-skill-gate.ts";

/** A file of the parent run's changeset, as a revision run reads it. */
const ZParentFile = z.object({
  path: z.string(),
  change_kind: z.string(),
  new_content: z.string().nullable(),
  decision: z.string(),
});
/** A review comment on the parent run's changeset. */
const ZParentReview = z.object({
  kind: z.string(),
  path: z.string().nullable(),
  line: z.number().nullable(),
  comment: z.string(),
});

/** The shape load_ai_run_context() returns. */
const ZRunContext = z.object({
  run: ZRun,
  agent: ZAgentRow.nullable(),
  agent_defaults: z.unknown(),
  connections: z.array(ZConnectionWithSecret).catch([]),
  budgets_apply: z.boolean().catch(false),
  task: ZTask.nullable().catch(null),
  task_events: z.array(ZTaskEvent).catch([]),
  thread_messages: z.array(ZMessageRow).catch([]),
  mission: ZBrainDocRow.nullable().catch(null),
  agent_docs: z.array(ZBrainDocRow).catch([]),
  referenced_docs: z.array(ZReferencedDoc).catch([]),
  skill_gate: ZSkillGate,
  run_settings: z.unknown(),
  parent: z
    .object({
      run: ZRun.nullable().catch(null),
      changeset: z.object({ id: z.string(), summary: z.string(), status: z.string() }).nullable().catch(null),
      files: z.array(ZParentFile).catch([]),
      reviews: z.array(ZParentReview).catch([]),
      /** The latest test result of the parent's applied changeset: what a fix has to make pass. */
      test_result: z
        .object({ command: z.string().catch(""), exit_code: z.number().nullable().catch(null), output_tail: z.string().catch("") })
        .nullable()
        .catch(null),
    })
    .nullable()
    .catch(null),
  handoff_note: z
    .object({ from: z.string().nullable().catch(null), to: z.string().nullable().catch(null), note: z.string().catch("") })
    .nullable()
    .catch(null),
});

/** Everything one run needs from the database before the agent can work. */
export type TRunInput = {
  run: TRun;
  agent: TAgentRow;
  /** The project's `agent_defaults` setting, unvalidated (the settings resolution checks it). */
  agentDefaults: unknown;
  connections: TConnectionWithSecret[];
  budgetsApply: boolean;
  task: TTask | null;
  /** The task's timeline, oldest first (the last 30 events). */
  taskEvents: TTaskEvent[];
  /** The last messages of the run's chat thread, oldest first. */
  threadMessages: TMessageRow[];
  mission: TBrainDocRow | null;
  agentDocs: TBrainDocRow[];
  /** The docs the message or comment that started the run references ("#runbook"), as its agent may read them. */
  referencedDocs: TReferencedDoc[];
  /** The project's run settings with defaults (an invalid setting reads as the defaults). */
  settings: TRunSettings;
  /** The project's skills that unlock tools and are not ready: the tools this run is not offered. */
  skillGate: TSkillGate;
  /** For a revision or a test run: the run before it and its changeset with files and reviews. */
  parent: z.infer<typeof ZRunContext>["parent"];
  /** The note of the hand-off that started this run, if one did. */
  handoffNote: z.infer<typeof ZRunContext>["handoff_note"];
};

/** A run this executor claimed: its row, and what it needs or why it cannot be worked. */
export type TClaimedRun = { readonly id: string; readonly run: TRun; readonly input: TRunInput | AppError };

/** A run just claimed, its context still being read (rejects when it cannot be read now). */
export type TPendingRun = {
  readonly id: string;
  readonly run: TRun;
  readonly input: Promise<TRunInput | AppError>;
  /** How many runs the claim that took this one took in all. */
  readonly batchSize: number;
};

const ZClaimed = z.object({ run: ZRun });

/**
 * Decodes the run rows claim_ai_runs returned: `[{run, context: null}]`. An item whose run row does
 * not decode is left out and reported (its lease runs out and it is queued again).
 */
export function decodeClaimedRunRows(raw: unknown, onMalformed: (problem: AppError) => void): { id: string; run: TRun }[] {
  if (!Array.isArray(raw))
    throw new AppError("internal", { message: "claim_ai_runs did not return a JSON array (are the migrations up to date?)" });
  const claimed: { id: string; run: TRun }[] = [];
  for (const item of raw) {
    const parsed = ZClaimed.safeParse(item);
    if (!parsed.success) {
      onMalformed(new AppError("internal", { message: `claim_ai_runs returned a run that does not decode: ${parsed.error.message}` }));
      continue;
    }
    claimed.push({ id: parsed.data.run.id, run: parsed.data.run });
  }
  return claimed;
}

/**
 * Decodes load_ai_run_context() for one run; an AppError when it cannot be worked (a context that
 * does not decode, or whose agent is gone or disabled: the run fails with it).
 */
export function decodeRunContext(raw: unknown): TRunInput | AppError {
  const parsed = ZRunContext.safeParse(raw);
  if (!parsed.success) {
    return new AppError("internal", {
      message: `The run's context has an unexpected shape (${parsed.error.issues[0]?.message ?? "invalid"})`,
    });
  }
  const context = parsed.data;
  if (!context.agent) {
    return new AppError("not_found", {
      message: `Agent @${context.run.agent_key} no longer exists: start the run again with another agent`,
    });
  }
  if (!context.agent.enabled) {
    return new AppError("not_found", {
      message: `Agent @${context.run.agent_key} is disabled: enable it on the Agents page, then start the run again`,
    });
  }
  // Unknown keys are dropped (a newer dashboard may write more), invalid values fall back to the defaults.
  const settings = z.object(ZRunSettings.shape).safeParse(context.run_settings ?? {});
  return {
    run: context.run,
    agent: context.agent,
    agentDefaults: context.agent_defaults,
    connections: context.connections,
    budgetsApply: context.budgets_apply,
    task: context.task,
    taskEvents: context.task_events,
    threadMessages: context.thread_messages,
    mission: context.mission,
    agentDocs: context.agent_docs,
    referencedDocs: context.referenced_docs,
    skillGate: context.skill_gate,
    settings: settings.success ? settings.data : ZRunSettings.parse({}),
    parent: context.parent,
    handoffNote: context.handoff_note,
  };
}
