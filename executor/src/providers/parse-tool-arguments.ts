import type { TToolCall } from "./provider-types.ts";

/**
 * Builds a tool call from the model's raw arguments. OpenAI-compatible servers send a JSON string
 * (some local servers an object already); an empty string means no arguments. Text that is not
 * JSON is kept with the reason, so the loop can tell the model what to fix.
 */
export function parseToolArguments(call: { id: string; name: string; raw: unknown }): TToolCall {
  if (typeof call.raw !== "string") {
    const value = call.raw ?? {};
    return { id: call.id, name: call.name, arguments: value, rawArguments: JSON.stringify(value), argumentsError: null };
  }
  if (call.raw.trim() === "") return { id: call.id, name: call.name, arguments: {}, rawArguments: call.raw, argumentsError: null };
  try {
    return { id: call.id, name: call.name, arguments: JSON.parse(call.raw), rawArguments: call.raw, argumentsError: null };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { id: call.id, name: call.name, arguments: null, rawArguments: call.raw, argumentsError: `not valid JSON (${reason})` };
  }
}
