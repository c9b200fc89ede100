import type { TChatMessage } from "./provider-types.ts";

const SPEAKERS: Record<TChatMessage["role"], string> = { system: "Instructions", user: "User", assistant: "You" };

/**
 * Renders a chat as the plain text a CLI agent reads on stdin: the system prompt first, then each
 * message under a heading naming who wrote it, the newest last. A lone user message is sent as is.
 */
export function renderCliPrompt(messages: readonly TChatMessage[]): string {
  if (messages.length === 1 && messages[0]?.role === "user") return messages[0].content;
  const system = messages.filter((message) => message.role === "system").map((message) => message.content.trim());
  const conversation = messages
    .filter((message) => message.role !== "system")
    .map((message) => `## ${SPEAKERS[message.role]}\n${message.content.trim()}`);
  const parts = [...system];
  if (conversation.length > 0) parts.push(`# Conversation (answer the last message)\n\n${conversation.join("\n\n")}`);
  return `${parts.join("\n\n")}\n`;
}
