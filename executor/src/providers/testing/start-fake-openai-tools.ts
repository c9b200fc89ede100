import { sendJson, startFakeServer } from "../../testing/start-fake-server.ts";
import { createRequestWaiters, pickTurn, type TFakeToolScript, type TFakeToolServer } from "./fake-tool-turns.ts";

/**
 * A fake OpenAI-compatible `/v1/chat/completions` that answers each request with the next turn of
 * `script`: `tool_calls` (arguments as a JSON string) with finish_reason `tool_calls`, or text
 * with `stop`; a `hang` turn never answers (to test cancellation), a `status` turn fails with it.
 */
export async function startFakeOpenAiTools(script: TFakeToolScript): Promise<TFakeToolServer> {
  const requests: TFakeToolServer["requests"] = [];
  const waiters = createRequestWaiters(requests);
  const server = await startFakeServer((request, res, index) => {
    requests.push(request);
    waiters.arrived();
    const turn = pickTurn(script, request, index);
    if ("hang" in turn) return;
    if ("status" in turn) {
      sendJson(res, turn.status, { error: { message: turn.error, type: "server_error" } });
      return;
    }
    const model = (request.body as { model?: string } | null)?.model ?? "fake-model";
    const toolCalls = (turn.toolCalls ?? []).map((call, n) => ({
      id: call.id ?? `call_${index}_${n}`,
      type: "function",
      function: { name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments) },
    }));
    sendJson(res, 200, {
      id: `chatcmpl-${index}`,
      object: "chat.completion",
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: turn.text ?? null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
          finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
        },
      ],
      usage: { prompt_tokens: turn.usage?.input ?? 100, completion_tokens: turn.usage?.output ?? 10 },
    });
  });
  return {
    baseUrl: `${server.url}/v1`,
    requests,
    waitForRequest: waiters.waitForRequest,
    clientAborted: server.clientAborted,
    close: server.close,
  };
}
