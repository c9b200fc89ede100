import type { TChangesetFileInput } from "@mission-control/shared/schemas";
import type { TLoopMessage, TToolCall, TToolDefinition } from "../../../providers/provider-types.ts";
import { PROPOSE_CHANGESET_TOOL } from "../build-run-tools.ts";
import { parseNumberedLines } from "../format-numbered-lines.ts";
import { READ_FILE_LINES } from "../read-file-tool.ts";
import { readBriefReviews, readRunGoal, readRunMode } from "../read-run-prompt.ts";
import { isMissingFileAnswer } from "../resolve-readable-path.ts";
import { addChangelogEntry, appendNote, composeNewFile } from "./compose-builtin-files.ts";
import { composeBuiltinPlan } from "./compose-builtin-plan.ts";
import { detectBuiltinIntent, type TBuiltinIntent } from "./detect-builtin-intent.ts";

/** One turn of the built-in scripted agent: what it says and the tools it calls. */
export type TBuiltinTurn = { text: string; toolCalls: TToolCall[] };

const MARK = "[offline model]";
const CHANGELOG_PATH = "CHANGELOG.md";

/** A tool call made earlier in the transcript and its answer (null while unanswered). */
type TPastCall = { call: TToolCall; result: { content: string; isError: boolean } | null };

/**
 * The built-in offline model as a scripted agent: a pure function of the transcript and the tools
 * offered, so every run flow works without a key. Outside a run (no `Run mode:` line in the system
 * prompt) it returns null and the caller answers as the chat model does. In a run it reads the
 * goal from the brief (see detectBuiltinIntent) and moves one step at a time:
 * - a request to create a task (plan or implement run): `create_task`, then says it was proposed;
 * - plan: `list_files` (when offered), then a numbered plan;
 * - implement, "add a CHANGELOG entry …": `read_file CHANGELOG.md`, then `propose_changeset` with
 *   the entry at the top (a new changelog when the file is missing);
 * - implement, "write/create FILE[, FILE2 and FILE3] …": `read_file` each, then `propose_changeset`
 *   creating the missing ones and editing the others; review comments of a revision brief are
 *   added to the files they name;
 * - anything else: a short answer saying what it would need.
 * It only calls tools that are offered; without the one it needs it says so.
 */
export function decideBuiltinTurn(messages: readonly TLoopMessage[], tools: readonly TToolDefinition[]): TBuiltinTurn | null {
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n");
  const mode = readRunMode(system);
  if (mode === null) return null;
  const brief = messages.find((message) => message.role === "user")?.content ?? "";
  const goal = readRunGoal(brief);
  const offered = new Set(tools.map((tool) => tool.name));
  const step = messages.filter((message) => message.role === "assistant").length + 1;
  const past = pastCalls(messages);
  const turn = { step, offered, past };

  if (mode === "test") {
    return say("Test runs run the project's test command in the executor; there is nothing for the model to do in this run.");
  }
  const intent = detectBuiltinIntent(goal);
  if (intent.kind === "create_task") return createTask(turn, intent);
  if (mode === "plan") return plan(turn, goal, intent);
  switch (intent.kind) {
    case "changelog":
      return writeFiles(turn, [CHANGELOG_PATH], brief, (_path, existing) => addChangelogEntry(existing, intent.entry), {
        summary: `Add a CHANGELOG entry: ${intent.entry}`,
        rationale: () => "Adds the entry the goal asks for at the top of the changelog",
      });
    case "files": {
      const headline = firstLine(goal);
      return writeFiles(
        turn,
        intent.paths,
        brief,
        (path, existing) => {
          if (existing === null) return composeNewFile(path, { headline, topic: intent.topic, content: intent.content });
          if (intent.content !== null) return intent.content.endsWith("\n") ? intent.content : `${intent.content}\n`;
          return appendNote(path, existing, `${intent.topic ? `${capitalise(intent.topic)}.` : ""} (From the goal: "${headline}".)`.trim());
        },
        {
          summary: `${intent.paths.length === 1 ? "Write" : "Write files"} ${intent.paths.join(", ")}`.slice(0, 500),
          rationale: (path, existing) => (existing === null ? `Creates ${path} as the goal asks` : `Edits ${path} as the goal asks`),
        },
      );
    }
    case "other":
      return say(
        `I cannot do "${clip(firstLine(goal), 160)}" offline. The built-in model only follows a few scripted requests: "add a CHANGELOG entry …", "write/create FILE …", "create a task …", and plans (/plan). For this goal I need a connected model: add a provider in Settings → Providers and pick it on the agent's page.`,
      );
  }
}

type TTurnState = { step: number; offered: ReadonlySet<string>; past: TPastCall[] };

function createTask(turn: TTurnState, intent: Extract<TBuiltinIntent, { kind: "create_task" }>): TBuiltinTurn {
  if (!turn.offered.has("create_task")) return lacks("create_task", `propose the task "${intent.title}"`);
  const done = turn.past.filter((past) => past.call.name === "create_task").at(-1);
  if (!done) {
    return call(turn, `I will propose the task "${intent.title}" for your approval.`, [
      {
        name: "create_task",
        arguments: {
          title: intent.title,
          description: intent.description,
          priority: "normal",
          summary: `Create the task "${intent.title}"`.slice(0, 500),
          risk: "low",
        },
      },
    ]);
  }
  if (done.result?.isError) return say(`I could not propose the task "${intent.title}": ${firstLine(done.result.content)}`);
  return say(`I proposed a new task "${intent.title}"; it appears on the board once an operator approves it.`);
}

function plan(turn: TTurnState, goal: string, intent: TBuiltinIntent): TBuiltinTurn {
  const listed = turn.past.filter((past) => past.call.name === "list_files").at(-1);
  if (!listed && turn.offered.has("list_files"))
    return call(turn, "Looking at the workspace first.", [{ name: "list_files", arguments: { depth: 1 } }]);
  const listing = listed?.result && !listed.result.isError ? listed.result.content : null;
  return { text: composeBuiltinPlan({ goal, intent, listing }), toolCalls: [] };
}

/**
 * Reads each target (one step, all reads at once), then proposes one changeset with `compose`'s
 * content for each (null: leave the file alone), then reports how the proposal went.
 */
function writeFiles(
  turn: TTurnState,
  targets: readonly string[],
  brief: string,
  compose: (path: string, existing: string | null) => string | null,
  describe: { summary: string; rationale: (path: string, existing: string | null) => string },
): TBuiltinTurn {
  if (!turn.offered.has(PROPOSE_CHANGESET_TOOL)) {
    return lacks(PROPOSE_CHANGESET_TOOL, `propose changes to ${targets.join(", ")}`, "apply_changeset");
  }
  if (!turn.offered.has("read_file")) return lacks("read_file", `read ${targets.join(", ")} before changing them`);
  const proposed = turn.past.filter((past) => past.call.name === PROPOSE_CHANGESET_TOOL).at(-1);
  if (proposed) {
    if (proposed.result?.isError) return say(`I could not propose the changeset: ${firstLine(proposed.result.content)}`);
    return say(`I proposed a changeset (${describe.summary}); it waits for your review.`);
  }
  const reads = new Map<string, TPastCall>();
  for (const past of turn.past) {
    if (past.call.name === "read_file") reads.set(String((past.call.arguments as { path?: unknown } | null)?.path ?? ""), past);
  }
  const unread = targets.filter((path) => !reads.has(path));
  if (unread.length > 0) {
    return call(
      turn,
      `Reading ${unread.join(", ")} before I change ${unread.length === 1 ? "it" : "them"}.`,
      unread.map((path) => ({ name: "read_file", arguments: { path, max_lines: READ_FILE_LINES.max } })),
    );
  }

  const reviews = readBriefReviews(brief);
  const files: TChangesetFileInput[] = [];
  const problems: string[] = [];
  for (const path of targets) {
    const result = reads.get(path)?.result;
    let existing: string | null = null;
    if (!result || result.isError) {
      if (!result || !isMissingFileAnswer(result.content)) {
        problems.push(`${path}: ${firstLine(result?.content ?? "no answer")}`);
        continue;
      }
    } else {
      const parsed = parseNumberedLines(result.content);
      if (!parsed) {
        problems.push(`${path} is too long to rewrite offline`);
        continue;
      }
      existing = parsed.content;
    }
    let next = compose(path, existing);
    for (const review of reviews.filter((review) => review.path === null || review.path === path)) {
      if (next !== null) next = appendNote(path, next, `Review (${review.kind}): ${review.comment}`) ?? next;
    }
    if (next === null || next === existing) continue;
    files.push({
      path,
      new_content: next,
      rationale: describe.rationale(path, existing),
      risk_notes: "Drafted by the built-in offline model: read it before approving.",
    });
  }
  if (files.length === 0) {
    return say(
      `I have nothing to propose${problems.length > 0 ? `: ${problems.join("; ")}` : ": the files already say what the goal asks"}.`,
    );
  }
  const skipped = problems.length > 0 ? ` I left out ${problems.join("; ")}.` : "";
  return call(turn, `Proposing the changeset: ${describe.summary}.${skipped}`, [
    { name: PROPOSE_CHANGESET_TOOL, arguments: { summary: describe.summary, risk: "low", files } },
  ]);
}

/** Pairs every tool call of the transcript with its answer. */
function pastCalls(messages: readonly TLoopMessage[]): TPastCall[] {
  const results = new Map<string, { content: string; isError: boolean }>();
  for (const message of messages) {
    if (message.role === "tool") results.set(message.toolCallId, { content: message.content, isError: message.isError });
  }
  return messages.flatMap((message) =>
    message.role === "assistant" ? message.toolCalls.map((toolCall) => ({ call: toolCall, result: results.get(toolCall.id) ?? null })) : [],
  );
}

function call(turn: TTurnState, text: string, calls: { name: string; arguments: Record<string, unknown> }[]): TBuiltinTurn {
  return {
    text: `${MARK} ${text}`,
    toolCalls: calls.map((entry, index) => {
      const rawArguments = JSON.stringify(entry.arguments);
      return { id: `builtin_${turn.step}_${index}`, name: entry.name, arguments: entry.arguments, rawArguments, argumentsError: null };
    }),
  };
}

function say(text: string): TBuiltinTurn {
  return { text: `${MARK} ${text}`, toolCalls: [] };
}

function lacks(tool: string, toDo: string, agentTool = tool): TBuiltinTurn {
  return say(
    `I would ${toDo}, but this run does not offer me the ${tool} tool: enable ${agentTool} in the agent's tools on its page, then start the run again.`,
  );
}

function firstLine(text: string): string {
  return (text.trim().split("\n")[0] ?? "").trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
