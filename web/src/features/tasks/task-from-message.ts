/** Title and description of a task promoted from a chat message. */
export interface TPromotedTask {
  title: string;
  description: string;
}

/**
 * Turns a chat message into a task draft: the first non-empty line (without @mentions at its
 * start, at most 120 characters, cut at a word) is the title; the whole message, quoted, with who
 * wrote it and where, is the description.
 */
export function taskFromMessage(input: { content: string; author: string; place: string; createdAt: string }): TPromotedTask {
  const firstLine =
    input.content
      .split("\n")
      .map((line) => line.replace(/^(\s*@[a-z0-9_-]+[,:]?\s*)+/i, "").trim())
      .find((line) => line.length > 0) ?? "";
  let title = firstLine || "Follow up on a message";
  if (title.length > 120) {
    const cut = title.slice(0, 119);
    const space = cut.lastIndexOf(" ");
    title = `${(space > 60 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  const quoted = input.content
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  return { title, description: `${quoted}\n\nPromoted from a message by ${input.author} in ${input.place} (${input.createdAt}).` };
}
