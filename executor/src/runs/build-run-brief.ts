import type { TRunInput } from "./decode-claimed-runs.ts";

const MAX_EVENT_CHARS = 1_500;
const MAX_MESSAGE_CHARS = 1_500;

/**
 * The opening user message of a run: what to do (goal, constraints), the task it works on with its
 * checklist and recent timeline, the chat it came from, the note of a hand-off, and for a revision
 * the reviewer's comments on the previous changeset, each file and line named. Deterministic and
 * plain text, so every provider (and the built-in scripted agent) reads the same brief.
 */
export function buildRunBrief(input: TRunInput): string {
  const { run, task } = input;
  const parts: string[] = [`Goal (${run.mode} run, iteration ${run.iteration}):\n${run.goal.trim()}`];
  if (run.constraints.trim()) parts.push(`Constraints:\n${run.constraints.trim()}`);
  if (input.handoffNote) {
    parts.push(
      `Handed over by ${input.handoffNote.from ? `@${input.handoffNote.from}` : "the operator"} with this note:\n${input.handoffNote.note}`,
    );
  }
  if (task) {
    const checklist = task.definition_of_done.map((item) => `- [${item.done ? "x" : " "}] ${item.text}`).join("\n");
    parts.push(
      [
        `Task ${task.id}: ${task.title}`,
        `Status: ${task.status} · priority ${task.priority}${task.assignee_agent_key ? ` · assigned to @${task.assignee_agent_key}` : ""}`,
        task.description.trim() ? `Description:\n${task.description.trim()}` : "",
        checklist ? `Definition of done:\n${checklist}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
    const timeline = input.taskEvents
      .filter((event) => event.content.trim())
      .map((event) => {
        const who =
          event.author_type === "agent" ? `@${event.author_agent_key ?? "agent"}` : event.author_type === "user" ? "operator" : "system";
        return `- ${who} (${event.kind}): ${clip(event.content, MAX_EVENT_CHARS)}`;
      });
    if (timeline.length > 0) parts.push(`Task thread (oldest first):\n${timeline.join("\n")}`);
  }
  const chat = input.threadMessages
    .filter((message) => message.content.trim())
    .map((message) => {
      const who =
        message.author_type === "agent"
          ? `@${message.author_agent_key ?? "agent"}`
          : message.author_type === "user"
            ? "operator"
            : "system";
      return `- ${who}: ${clip(message.content, MAX_MESSAGE_CHARS)}`;
    });
  if (chat.length > 0) parts.push(`Conversation this run came from (oldest first):\n${chat.join("\n")}`);
  const changeset = input.parent?.changeset;
  if (changeset && input.parent) {
    const files = input.parent.files.map((file) => `- ${file.path} (${file.change_kind}, ${file.decision})`).join("\n");
    const reviews = input.parent.reviews
      .map(
        (review) => `- [${review.kind}]${review.path ? ` ${review.path}${review.line ? `:${review.line}` : ""}` : ""}: ${review.comment}`,
      )
      .join("\n");
    parts.push(
      [
        `Your previous changeset "${changeset.summary}" is ${changeset.status.replace("_", " ")}.`,
        files ? `Its files:\n${files}` : "",
        reviews ? `Review comments to address:\n${reviews}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
  const test = input.parent?.test_result;
  if (test && test.exit_code !== 0) {
    parts.push(
      `The tests failed after your last changeset (\`${test.command}\`, exit ${test.exit_code ?? "signal"}):\n${clip(test.output_tail.split("\n").slice(-40).join("\n"), 4_000)}`,
    );
  }
  return parts.join("\n\n");
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
