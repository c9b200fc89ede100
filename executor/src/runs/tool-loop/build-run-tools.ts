import {
  ACTION_PARAMS_SCHEMAS,
  AGENT_TOOLS,
  RISK_LEVELS,
  type TAgentTool,
  TASK_STATUSES,
  type TRunMode,
  ZAgentKey,
  ZChangesetInput,
  ZWorkspacePath,
} from "@mission-control/shared/schemas";
import { z } from "zod";
import { LIST_FILES_DEPTH } from "./list-files-tool.ts";
import { READ_FILE_LINES } from "./read-file-tool.ts";
import { EXECUTOR_STATE_DIR } from "./resolve-readable-path.ts";
import { SEARCH_TEXT_RESULTS } from "./search-text-tool.ts";
import type { TRunTool, TRunToolKind } from "./tool-loop-types.ts";

/** The actions proposed through their own tool (apply_changeset goes through propose_changeset). */
export const ACTION_TOOLS = ["create_task", "schedule_job", "edit_doc", "send_message", "api_call", "file_write"] as const;
/** One of ACTION_TOOLS. */
export type TActionTool = (typeof ACTION_TOOLS)[number];

/** The name the model calls apply_changeset by: it proposes, an operator applies. */
export const PROPOSE_CHANGESET_TOOL = "propose_changeset";

const ZProposalFields = {
  summary: z.string().trim().min(1).max(500).describe("One line saying what the action does, shown on the approval card"),
  risk: z.enum(RISK_LEVELS).default("low").describe("low, medium or high: above the agent's risk tolerance the proposal is refused"),
};

const ZReadFileArgs = z.object({
  path: ZWorkspacePath.describe("A file path relative to the workspace root, e.g. src/index.ts"),
  start_line: z.int().min(1).optional().describe("First line to show (from 1); default 1"),
  max_lines: z.int().min(1).max(READ_FILE_LINES.max).optional().describe(`Lines to show; default ${READ_FILE_LINES.default}`),
});
const ZListFilesArgs = z.object({
  path: ZWorkspacePath.optional().describe("A folder relative to the workspace root; default the root"),
  depth: z.int().min(1).max(LIST_FILES_DEPTH.max).optional().describe(`Levels to descend; default ${LIST_FILES_DEPTH.default}`),
});
const ZSearchTextArgs = z.object({
  query: z.string().min(1).max(200).describe("Literal text to find (case-insensitive)"),
  path: ZWorkspacePath.optional().describe("Search only under this folder; default the whole workspace"),
  max_results: z
    .int()
    .min(1)
    .max(SEARCH_TEXT_RESULTS.max)
    .optional()
    .describe(`Matching lines to return; default ${SEARCH_TEXT_RESULTS.default}`),
});
const ZReadTaskArgs = z.object({ task_id: z.uuid().describe("The task's id") });
const ZListTasksArgs = z.object({
  status: z.enum(TASK_STATUSES).optional().describe("Only tasks in this column"),
  assignee_agent_key: ZAgentKey.optional().describe("Only tasks assigned to this agent"),
  query: z.string().trim().min(1).max(200).optional().describe("Only tasks whose title contains this text"),
  limit: z.int().min(1).max(100).default(50).describe("Tasks to return; default 50"),
});
const ZHandOffArgs = z.object({
  to_agent_key: ZAgentKey.describe("The key of the agent who takes over, e.g. backend"),
  note: z.string().trim().min(1).max(5000).describe("What the next agent needs to know: what is done, what is left, where to look"),
});
const ZProposeChangesetArgs = ZChangesetInput.refine(
  (input) => input.files.every((file) => file.path.split(/[\\/]+/).filter((s) => s && s !== ".")[0] !== EXECUTOR_STATE_DIR),
  { message: `files under ${EXECUTOR_STATE_DIR}/ are the executor's own state and cannot be changed`, path: ["files"] },
);

type TToolSpec = { name: string; kind: TRunToolKind; description: string; schema: z.ZodType };

const ACTION_DESCRIPTIONS: Record<TActionTool, string> = {
  create_task: "Propose a new task on the board (title, description, priority, assignee…). An operator approves it before it is created.",
  schedule_job: "Propose a scheduled job (every <interval>, a cron expression, or once at a time). An operator approves it first.",
  edit_doc: "Propose replacing the content of a brain doc (the project's or an agent's). An operator approves it first.",
  send_message: "Propose a message to the Team Room (thread_key team-room) or a DM (DM:<agent_key>). An operator approves it first.",
  api_call: "Propose one HTTP request to a host on the project's allowlist. An operator approves it before it is sent.",
  file_write: "Propose writing one whole file in the workspace. Prefer propose_changeset for code changes. An operator approves it first.",
};

const SPECS: Record<TAgentTool, TToolSpec> = {
  read_file: {
    name: "read_file",
    kind: "workspace",
    description:
      "Read a text file of the workspace. The answer shows `<line number>\\t<text>` per line and says how to read on when the file is longer.",
    schema: ZReadFileArgs,
  },
  list_files: {
    name: "list_files",
    kind: "workspace",
    description: "List the folders (ending in /) and files (with sizes) under a folder of the workspace. Skips .git and node_modules.",
    schema: ZListFilesArgs,
  },
  search_text: {
    name: "search_text",
    kind: "workspace",
    description: "Find the lines of the workspace's text files that contain some text. Answers `path:line: text` per match.",
    schema: ZSearchTextArgs,
  },
  read_task: {
    name: "read_task",
    kind: "tasks",
    description: "Read a task of the project and its recent timeline.",
    schema: ZReadTaskArgs,
  },
  list_tasks: {
    name: "list_tasks",
    kind: "tasks",
    description: "List tasks of the project (id, title, status, assignee, priority), optionally filtered.",
    schema: ZListTasksArgs,
  },
  apply_changeset: {
    name: PROPOSE_CHANGESET_TOOL,
    kind: "changeset",
    description:
      "Propose the run's changes as one changeset: every file with its whole new content (null deletes it), a one-line rationale and risk notes. " +
      "Nothing is written: an operator reviews the diffs and approves some or all files. Read a file before you change it. After this call the run waits for the review.",
    schema: ZProposeChangesetArgs,
  },
  hand_off: {
    name: "hand_off",
    kind: "handoff",
    description:
      "Hand this work to another agent of the team with a note, when it fits their skills better. Your run ends; the other agent starts a run with the task, its thread and your note.",
    schema: ZHandOffArgs,
  },
  create_task: actionSpec("create_task", ACTION_PARAMS_SCHEMAS.create_task.extend(ZProposalFields)),
  schedule_job: actionSpec("schedule_job", ACTION_PARAMS_SCHEMAS.schedule_job.extend(ZProposalFields)),
  edit_doc: actionSpec("edit_doc", ACTION_PARAMS_SCHEMAS.edit_doc.extend(ZProposalFields)),
  send_message: actionSpec("send_message", ACTION_PARAMS_SCHEMAS.send_message.extend(ZProposalFields)),
  api_call: actionSpec("api_call", ACTION_PARAMS_SCHEMAS.api_call.extend(ZProposalFields)),
  file_write: actionSpec("file_write", ACTION_PARAMS_SCHEMAS.file_write.extend(ZProposalFields)),
};

/** An action tool: the action's params plus the proposal's summary and risk, flat, as models write them best. */
function actionSpec(tool: TActionTool, schema: z.ZodType): TToolSpec {
  return { name: tool, kind: "action", description: ACTION_DESCRIPTIONS[tool], schema };
}

/**
 * The tools a run offers its model: exactly the agent's enabled tools (`tools_enabled`; unknown
 * entries are ignored), in AGENT_TOOLS order, each with its JSON Schema (zod 4's toJSONSchema of
 * the schema its arguments are validated with). apply_changeset is offered as `propose_changeset`
 * with ZChangesetInput; the action tools take their ACTION_PARAMS_SCHEMAS params plus summary and
 * risk. A plan run does not offer propose_changeset (a plan changes nothing).
 */
export function buildRunTools(toolsEnabled: readonly string[], options: { mode?: TRunMode } = {}): TRunTool[] {
  const enabled = new Set(toolsEnabled);
  return AGENT_TOOLS.filter((tool) => enabled.has(tool))
    .filter((tool) => !(options.mode === "plan" && tool === "apply_changeset"))
    .map((tool) => {
      const spec = SPECS[tool];
      return {
        name: spec.name,
        agentTool: tool,
        kind: spec.kind,
        schema: spec.schema,
        definition: { name: spec.name, description: spec.description, parameters: toParameters(spec.schema) },
      };
    });
}

/** Each schema's JSON Schema, computed once: the schemas never change and converting them costs milliseconds per run. */
const parametersCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON Schema of what the model sends (defaults optional), without the `$schema` key some providers refuse. */
function toParameters(schema: z.ZodType): Record<string, unknown> {
  const cached = parametersCache.get(schema);
  if (cached) return cached;
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  parametersCache.set(schema, parameters);
  return parameters;
}
