import { countChatTokens, countTokens } from "../context/count-tokens.ts";
import { decideBuiltinTurn } from "../runs/tool-loop/builtin-agent/decide-builtin-turn.ts";
import { BUILTIN_MODEL, composeOfflineReply } from "./complete-builtin.ts";
import { flattenLoopMessages } from "./flatten-loop-messages.ts";
import type { TToolCompletionRequest, TToolCompletionResult } from "./provider-types.ts";

/**
 * One step of an agent loop on the built-in offline model: the scripted agent of
 * decideBuiltinTurn (deterministic, no network), which calls the offered tools the way a real
 * model does. Outside a run (no `Run mode:` line) it answers as the chat model does, without tools.
 * Usage is counted with the real tokenizer.
 */
export async function completeBuiltinWithTools(request: TToolCompletionRequest): Promise<TToolCompletionResult> {
  const startedAt = performance.now();
  request.signal?.throwIfAborted();
  const chat = flattenLoopMessages(request.messages);
  const turn = decideBuiltinTurn(request.messages, request.tools) ?? { text: composeOfflineReply(chat), toolCalls: [] };
  return {
    text: turn.text,
    model: BUILTIN_MODEL,
    provider: "builtin",
    usage: {
      inputTokens: countChatTokens(chat),
      outputTokens:
        countTokens(turn.text) + turn.toolCalls.reduce((sum, call) => sum + countTokens(call.name) + countTokens(call.rawArguments), 0),
      estimated: false,
    },
    finishReason: turn.toolCalls.length > 0 ? "tool_use" : "stop",
    offline: true,
    latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    attempts: 0,
    toolCalls: turn.toolCalls,
  };
}
