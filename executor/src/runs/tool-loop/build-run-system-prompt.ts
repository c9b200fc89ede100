import type { TRunMode } from "@mission-control/shared/schemas";
import type { TRunTool } from "./tool-loop-types.ts";

/** The line of a run's system prompt that tells the model its mode; read back with readRunMode. */
export const RUN_MODE_LINE_PREFIX = "Run mode: ";

const MODE_INSTRUCTIONS: Record<TRunMode, string> = {
  plan: [
    "Answer with a numbered plan of concrete steps for the goal, naming the files and tasks involved.",
    "Read what you need first (the read-only tools), but change nothing and propose no changeset: this run only plans.",
  ].join("\n"),
  implement: [
    "Do the goal. Read every file you will change first (read_file), then propose all the changes as ONE changeset with propose_changeset:",
    "each file with its whole new content (null deletes it), a one-line rationale and risk notes. Nothing is written until an operator approves;",
    "the run stops and waits for the review as soon as the changeset is proposed. Other actions (create_task, …) are proposals too.",
  ].join("\n"),
  test: "The executor runs the project's test command for this run; report what the output says.",
};

/**
 * The run part of an agent's system prompt, appended to the agent's own prompt (its persona,
 * mission and docs, assembled by the caller). It states the mode on a line of its own,
 * `Run mode: plan|implement|test` (the built-in scripted agent reads it: see readRunMode), what the
 * mode asks for, the tools offered, that every change is a proposal waiting for a human, and the
 * step cap. The goal itself goes in the opening user message (the run brief).
 */
export function buildRunSystemPrompt(input: { agentPrompt: string; mode: TRunMode; tools: readonly TRunTool[]; maxSteps: number }): string {
  const readOnly = input.tools.filter((tool) => tool.kind === "workspace" || tool.kind === "tasks").map((tool) => tool.name);
  const proposals = input.tools.filter((tool) => tool.kind === "changeset" || tool.kind === "action").map((tool) => tool.name);
  const toolLines =
    input.tools.length === 0
      ? ["You have no tools in this run: answer in words only (an operator can enable tools on your page)."]
      : [
          readOnly.length > 0 ? `Read-only tools, run at once: ${readOnly.join(", ")}.` : "You have no read-only tools.",
          proposals.length > 0
            ? `Tools that change something only propose it; an operator approves or rejects: ${proposals.join(", ")}.`
            : "You cannot propose changes in this run.",
          "If a tool answers with an error, read it and call the tool again correctly, or explain what is missing.",
        ];
  return [
    input.agentPrompt.trim(),
    "# Run",
    `${RUN_MODE_LINE_PREFIX}${input.mode}`,
    MODE_INSTRUCTIONS[input.mode],
    ...toolLines,
    `You have at most ${input.maxSteps} model ${input.maxSteps === 1 ? "step" : "steps"} (replies) in this run. Finish with a short answer saying what you did or found.`,
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}
