/** The longest chat message the database takes (project_chat_messages.content). */
export const MAX_REPLY_CHARS = 20_000;

/**
 * Cuts a reply that is longer than a chat message may be, and says so at the end, instead of
 * letting the database refuse it. JavaScript counts UTF-16 units and Postgres characters, so a
 * reply within this limit always fits; a cut never splits a surrogate pair.
 */
export function fitReplyText(text: string, maxChars = MAX_REPLY_CHARS): string {
  if (text.length <= maxChars) return text;
  const note = `\n\n[Reply cut at ${maxChars.toLocaleString("en-US")} characters: the rest did not fit in a chat message.]`;
  let end = Math.max(0, maxChars - note.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${note}`;
}
