import { taskFromMessage } from "../tasks/task-from-message.ts";

/** What the "Promote to task" dialog opens with. */
export interface TPromotedTaskDraft {
  title: string;
  description: string;
  /** The agent the task is prefilled for, or "" for unassigned. */
  assigneeAgentKey: string;
}

// A tag a model writes before its answer ("[offline model] "), and markdown a title does not need.
const MODEL_PREFIX = /^\s*\[[^\]\n]{1,40}\]\s*/;
const LINE_MARKUP = /^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/;

function cleanFirstLines(content: string): string {
  return content
    .split("\n")
    .map((line) =>
      line
        .replace(MODEL_PREFIX, "")
        .replace(LINE_MARKUP, "")
        .replace(/\*\*|__|`/g, "")
        .trim(),
    )
    .join("\n");
}

/**
 * Prefills the dialog: the title is the message's first line without the model's prefix or
 * markdown (cut at a word, see taskFromMessage); the description quotes the whole message with
 * who wrote it and where; the assignee is the first project agent the message @mentions, else
 * nobody (assigning starts the agent's work, so it is never guessed from the author alone).
 */
export function draftPromotedTask(input: {
  content: string;
  author: string;
  place: string;
  createdAt: string;
  knownAgentKeys: ReadonlySet<string>;
}): TPromotedTaskDraft {
  const { description } = taskFromMessage(input);
  const { title } = taskFromMessage({ ...input, content: cleanFirstLines(input.content) });
  let assigneeAgentKey = "";
  for (const match of input.content.matchAll(/(?:^|[^\w@.])@([a-z][a-z0-9_-]{0,31})/g)) {
    if (match[1] && input.knownAgentKeys.has(match[1])) {
      assigneeAgentKey = match[1];
      break;
    }
  }
  return { title, description, assigneeAgentKey };
}
