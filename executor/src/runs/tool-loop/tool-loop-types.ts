import type { TActionProposalInput, TAgentTool, TChangesetInput, TTaskStatus } from "@mission-control/shared/schemas";
import type { z } from "zod";
import type { TLoopMessage, TToolDefinition } from "../../providers/provider-types.ts";

/** The kinds of run event the loop reports (a subset of RUN_EVENT_KINDS). */
export type TToolLoopEventKind = "read_file" | "tool_call" | "propose_changeset" | "message" | "error";

/**
 * What the loop reports as it works, shaped as a run event: one short human sentence and the
 * conventional data of its kind (read_file {path, bytes, lines}; tool_call {tool, arguments, ok,
 * result_preview, proposal_id?}; propose_changeset {changeset_id, proposal_id, files, additions,
 * deletions}; message {text, step}; error {message}).
 */
export type TToolLoopEvent = { kind: TToolLoopEventKind; summary: string; data: Record<string, unknown> };

/** The tokens one model step used. */
export type TToolLoopUsage = {
  /** The model call this was, from 1. */
  step: number;
  inputTokens: number;
  outputTokens: number;
  /** True when the provider reported no usage and it was counted locally. */
  estimated: boolean;
  model: string;
  provider: string;
  latencyMs: number;
};

/** Which tasks list_tasks shows (every field narrows; none: the most recent tasks). */
export type TListTasksFilter = { status?: TTaskStatus; assignee_agent_key?: string; query?: string; limit: number };

/** What a proposal handler answers: the ids the database gave the proposal. */
export type TChangesetProposed = {
  changeset_id: string;
  proposal_id: string;
  /** Lines added and removed over all files, when the caller computed the diffs. */
  additions?: number;
  deletions?: number;
};

/**
 * What the loop needs from its caller (the run worker): the workspace the read-only file tools
 * read, the task board, and the two proposal paths. Nothing here executes a change: a proposal
 * waits for an operator. Every handler gets the run's signal; the loop never calls one after the
 * signal aborted.
 */
export type TToolbox = {
  /** The executor's WORKSPACE_DIR: read_file, list_files and search_text stay inside it (and out of `.mission-control/`). */
  workspaceDir: string;
  /** A task and its recent timeline, as JSON the model reads; null when there is no such task in the project. */
  readTask(taskId: string, options: { signal: AbortSignal }): Promise<Record<string, unknown> | null>;
  /** Tasks of the project matching the filter, as JSON the model reads. */
  listTasks(filter: TListTasksFilter, options: { signal: AbortSignal }): Promise<Record<string, unknown>[]>;
  /** Records the changeset (diffs against the workspace) and its apply_changeset proposal; the run then waits for approval. */
  proposeChangeset(input: TChangesetInput, options: { signal: AbortSignal }): Promise<TChangesetProposed>;
  /** Records any other action proposal (create_task, schedule_job, edit_doc, send_message, api_call, file_write). */
  proposeAction(input: TActionProposalInput, options: { signal: AbortSignal }): Promise<{ proposal_id: string }>;
  /** Hands the run's work to another agent with a note: this run ends, the other agent's run is queued. */
  handOff(input: THandOffInput, options: { signal: AbortSignal }): Promise<{ run_id: string }>;
};

/** What the hand_off tool takes. */
export type THandOffInput = { to_agent_key: string; note: string };

/** How a tool runs: directly in the workspace, through the task board, or as a proposal. */
export type TRunToolKind = "workspace" | "tasks" | "changeset" | "action" | "handoff";

/** A tool the loop can offer: its definition for the model and the zod schema its arguments must pass. */
export type TRunTool = {
  /** The name the model calls (apply_changeset is offered as `propose_changeset`). */
  name: string;
  /** The agent tool (tools_enabled entry) that enables it. */
  agentTool: TAgentTool;
  kind: TRunToolKind;
  definition: TToolDefinition;
  schema: z.ZodType;
};

/** How a loop ended. */
export type TToolLoopOutcome =
  /** The model answered without calling tools. */
  | "answered"
  /** A changeset was proposed: the run waits for its approval. */
  | "proposed_changeset"
  /** The step cap was reached while the model still called tools. */
  | "step_cap"
  /** The agent handed the work to another agent: this run is over. */
  | "handed_off"
  /** The signal aborted (the run was cancelled or the executor is stopping). */
  | "cancelled";

/** A proposal made during the loop. */
export type TToolLoopProposal = { tool: string; proposal_id: string; changeset_id: string | null };

/** What the loop returns. */
export type TToolLoopResult = {
  outcome: TToolLoopOutcome;
  /** The model's last answer, or a note saying why the loop stopped. */
  finalText: string;
  /** Model calls made. */
  steps: number;
  usage: { inputTokens: number; outputTokens: number; estimated: boolean };
  proposals: TToolLoopProposal[];
  /** The whole transcript (opening messages included), for the record and for tests. */
  messages: TLoopMessage[];
};
