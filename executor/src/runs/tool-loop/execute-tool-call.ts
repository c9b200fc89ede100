import { type TActionProposalInput, type TChangesetInput, ZActionProposalInput } from "@mission-control/shared/schemas";
import type { z } from "zod";
import type { TToolCall } from "../../providers/provider-types.ts";
import { ACTION_TOOLS, type TActionTool } from "./build-run-tools.ts";
import { listFilesTool } from "./list-files-tool.ts";
import { readFileTool } from "./read-file-tool.ts";
import { searchTextTool } from "./search-text-tool.ts";
import type { THandOffInput, TListTasksFilter, TRunTool, TToolbox, TToolLoopEvent, TToolLoopProposal } from "./tool-loop-types.ts";
import type { TToolOutcome } from "./tool-outcome.ts";

/** How the loop answers one tool call: the tool result the model reads and the run event recording it. */
export type TToolCallAnswer = {
  content: string;
  isError: boolean;
  event: TToolLoopEvent;
  proposal: TToolLoopProposal | null;
  /** True when this call proposed the run's changeset: the loop stops. */
  proposedChangeset: boolean;
  /** True when this call handed the work to another agent: the loop stops. */
  handedOff?: boolean;
};

/** How reversible each proposed action is (the approval card shows it; the model is not asked). */
const REVERSIBILITY: Record<TActionTool, TActionProposalInput["reversibility"]> = {
  create_task: "reversible",
  schedule_job: "reversible",
  edit_doc: "reversible",
  send_message: "irreversible",
  api_call: "irreversible",
  file_write: "reversible",
};

const MAX_TASK_JSON_CHARS = 20_000;
const PREVIEW_CHARS = 300;

/**
 * Answers one tool call: refuses a tool that was not offered (never executed), arguments that are
 * not JSON or fail the tool's zod schema, then runs the read-only tool or hands the proposal to
 * the caller's toolbox. A refusal or a handler's error becomes an error result the model can act
 * on. Errors are rethrown only when the signal aborted or `isFatal` says so.
 */
export async function executeToolCall(
  call: TToolCall,
  context: { offered: ReadonlyMap<string, TRunTool>; toolbox: TToolbox; signal: AbortSignal; isFatal: (err: unknown) => boolean },
): Promise<TToolCallAnswer> {
  const tool = context.offered.get(call.name);
  if (!tool) {
    const names = [...context.offered.keys()];
    return failure(
      call,
      `There is no tool named ${call.name} in this run. ${names.length > 0 ? `The tools offered are: ${names.join(", ")}.` : "No tools are offered: answer in words."}`,
      `Refused a call to ${call.name}: the tool is not offered to this agent`,
    );
  }
  if (call.argumentsError !== null) {
    return failure(
      call,
      `The arguments of ${call.name} were ${call.argumentsError}: call ${call.name} again with one JSON object matching its parameters.`,
      `${call.name} was called with arguments that are not JSON`,
    );
  }
  const parsed = tool.schema.safeParse(call.arguments);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    return failure(
      call,
      `Invalid arguments for ${call.name}: ${problems}. Fix them and call ${call.name} again.`,
      `${call.name} was called with invalid arguments (${clip(problems, 120)})`,
    );
  }
  try {
    context.signal.throwIfAborted();
    return await dispatch(tool, parsed.data, call, context);
  } catch (err) {
    if (context.signal.aborted || context.isFatal(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    return failure(call, message, `${call.name} failed: ${clip(message, 160)}`);
  }
}

async function dispatch(
  tool: TRunTool,
  args: unknown,
  call: TToolCall,
  context: { toolbox: TToolbox; signal: AbortSignal },
): Promise<TToolCallAnswer> {
  const { toolbox, signal } = context;
  switch (tool.name) {
    case "read_file":
      return fromOutcome(call, await readFileTool(toolbox.workspaceDir, args as Parameters<typeof readFileTool>[1]));
    case "list_files":
      return fromOutcome(call, await listFilesTool(toolbox.workspaceDir, args as Parameters<typeof listFilesTool>[1], signal));
    case "search_text":
      return fromOutcome(call, await searchTextTool(toolbox.workspaceDir, args as Parameters<typeof searchTextTool>[1], signal));
    case "read_task": {
      const { task_id } = args as { task_id: string };
      const task = await toolbox.readTask(task_id, { signal });
      if (!task) throw new Error(`No task ${task_id} in this project: use list_tasks to find its id`);
      const title = readTitle(task) ?? readTitle(task.task) ?? task_id;
      return fromOutcome(call, {
        content: clip(JSON.stringify(task, null, 2), MAX_TASK_JSON_CHARS),
        event: { kind: "tool_call", summary: `Read task "${clip(title, 80)}"`, data: { task_id } },
      });
    }
    case "list_tasks": {
      const filter = args as TListTasksFilter;
      const tasks = await toolbox.listTasks(filter, { signal });
      const content =
        tasks.length === 0 ? "No tasks match." : clip(tasks.map((task) => JSON.stringify(task)).join("\n"), MAX_TASK_JSON_CHARS);
      return fromOutcome(call, {
        content,
        event: {
          kind: "tool_call",
          summary: `Listed ${tasks.length} ${tasks.length === 1 ? "task" : "tasks"}`,
          data: { count: tasks.length },
        },
      });
    }
    default:
      break;
  }
  if (tool.kind === "handoff") {
    const input = args as THandOffInput;
    const next = await toolbox.handOff(input, { signal });
    return {
      content: `Handed over to @${input.to_agent_key} (run ${next.run_id}). This run is over.`,
      isError: false,
      event: {
        kind: "tool_call",
        summary: clip(`Handed the work to @${input.to_agent_key}`, 300),
        data: { tool: tool.name, ...input, run_id: next.run_id },
      },
      proposal: null,
      proposedChangeset: false,
      handedOff: true,
    };
  }
  if (tool.kind === "changeset") {
    const input = args as TChangesetInput;
    const proposed = await toolbox.proposeChangeset(input, { signal });
    const files = input.files.length;
    const stats =
      proposed.additions !== undefined && proposed.deletions !== undefined ? ` (+${proposed.additions} −${proposed.deletions})` : "";
    return {
      content: `Changeset proposed (changeset ${proposed.changeset_id}, proposal ${proposed.proposal_id}): ${files} ${files === 1 ? "file" : "files"}${stats}. The run now waits for an operator's review; nothing is written before it is approved.`,
      isError: false,
      event: {
        kind: "propose_changeset",
        summary: clip(`Proposed a changeset of ${files} ${files === 1 ? "file" : "files"}${stats}: ${input.summary}`, 300),
        data: {
          changeset_id: proposed.changeset_id,
          proposal_id: proposed.proposal_id,
          files,
          additions: proposed.additions ?? null,
          deletions: proposed.deletions ?? null,
        },
      },
      proposal: { tool: tool.name, proposal_id: proposed.proposal_id, changeset_id: proposed.changeset_id },
      proposedChangeset: true,
    };
  }
  if (tool.kind === "action" && (ACTION_TOOLS as readonly string[]).includes(tool.name)) {
    const actionType = tool.name as TActionTool;
    const { summary, risk, ...params } = args as { summary: string; risk: TActionProposalInput["risk"] } & Record<string, unknown>;
    const input = ZActionProposalInput.parse({ action_type: actionType, params, summary, risk, reversibility: REVERSIBILITY[actionType] });
    const { proposal_id } = await toolbox.proposeAction(input, { signal });
    const content = `Proposed ${actionType} (proposal ${proposal_id}): it waits for an operator's approval and is not done yet. Continue with the rest of the goal, or finish with a short answer.`;
    return {
      content,
      isError: false,
      event: {
        kind: "tool_call",
        summary: clip(`Proposed ${actionType}: ${summary} (waits for approval)`, 300),
        data: {
          tool: actionType,
          arguments: previewArguments(call.arguments),
          ok: true,
          result_preview: clip(content, PREVIEW_CHARS),
          proposal_id,
        },
      },
      proposal: { tool: actionType, proposal_id, changeset_id: null },
      proposedChangeset: false,
    };
  }
  throw new Error(`${tool.name} has no handler in this executor`);
}

/** The `title` of a task as the caller shaped it (`{title}` or `{task: {title}}`), if any. */
function readTitle(value: unknown): string | null {
  const title = typeof value === "object" && value !== null ? (value as { title?: unknown }).title : null;
  return typeof title === "string" ? title : null;
}

function fromOutcome(call: TToolCall, outcome: TToolOutcome): TToolCallAnswer {
  const data =
    outcome.event.kind === "tool_call"
      ? {
          tool: call.name,
          arguments: previewArguments(call.arguments),
          ok: true,
          result_preview: clip(outcome.content, PREVIEW_CHARS),
          ...outcome.event.data,
        }
      : outcome.event.data;
  return { content: outcome.content, isError: false, event: { ...outcome.event, data }, proposal: null, proposedChangeset: false };
}

function failure(call: TToolCall, content: string, summary: string): TToolCallAnswer {
  return {
    content,
    isError: true,
    event: {
      kind: "tool_call",
      summary: clip(summary, 300),
      data: {
        tool: call.name,
        arguments: call.argumentsError === null ? previewArguments(call.arguments) : clip(call.rawArguments, PREVIEW_CHARS),
        ok: false,
        result_preview: clip(content, PREVIEW_CHARS),
      },
    },
    proposal: null,
    proposedChangeset: false,
  };
}

/** The first few issues of a failed parse, each with its path: "files.0.path: …; summary: …". */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "arguments"}: ${issue.message}`)
    .join("; ");
}

/** Arguments as a run event stores them: long strings (file contents) cut, so an event stays small. */
function previewArguments(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return clip(value, 200);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => previewArguments(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, previewArguments(item, depth + 1)]));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
