import { assertNever } from "@mission-control/shared/errors";
import type { TChatMessage, TLoopMessage } from "./provider-types.ts";

/**
 * Renders an agent loop's transcript as plain chat messages: a turn's tool calls become lines
 * under its text and each tool result a user message naming the tool. Used to count tokens when
 * a provider reports no usage, and to ask a provider without tools (a CLI agent) for one answer.
 */
export function flattenLoopMessages(messages: readonly TLoopMessage[]): TChatMessage[] {
  return messages.map((message): TChatMessage => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant": {
        const calls = message.toolCalls.map((call) => `[called ${call.name} ${call.rawArguments}]`);
        return { role: "assistant", content: [message.content, ...calls].filter((part) => part.trim() !== "").join("\n") };
      }
      case "tool":
        return {
          role: "user",
          content: `[${message.isError ? "error from" : "result of"} ${message.toolName} (${message.toolCallId})]\n${message.content}`,
        };
      default:
        return assertNever(message);
    }
  });
}
