import { sendJson, startFakeServer } from "../../testing/start-fake-server.ts";
import { createRequestWaiters, pickTurn, type TFakeToolScript, type TFakeToolServer } from "./fake-tool-turns.ts";

/**
 * A fake of Anthropic's `POST /v1/messages` that answers each request with the next turn of
 * `script`: `tool_use` blocks with stop_reason `tool_use`, or a text block with `end_turn`; a
 * `hang` turn never answers, a `status` turn fails with it (Anthropic's error shape).
 */
export async function startFakeAnthropicTools(script: TFakeToolScript): Promise<TFakeToolServer> {
  const requests: TFakeToolServer["requests"] = [];
  const waiters = createRequestWaiters(requests);
  const server = await startFakeServer((request, res, index) => {
    requests.push(request);
    waiters.arrived();
    const turn = pickTurn(script, request, index);
    if ("hang" in turn) return;
    if ("status" in turn) {
      sendJson(res, turn.status, { type: "error", error: { type: "api_error", message: turn.error } });
      return;
    }
    const model = (request.body as { model?: string } | null)?.model ?? "claude-fake";
    const content: Record<string, unknown>[] = turn.text ? [{ type: "text", text: turn.text }] : [];
    for (const [n, call] of (turn.toolCalls ?? []).entries()) {
      content.push({ type: "tool_use", id: call.id ?? `toolu_${index}_${n}`, name: call.name, input: call.arguments });
    }
    const usesTools = (turn.toolCalls ?? []).length > 0;
    sendJson(res, 200, {
      id: `msg_${index}`,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: usesTools ? "tool_use" : "end_turn",
      usage: { input_tokens: turn.usage?.input ?? 100, output_tokens: turn.usage?.output ?? 10 },
    });
  });
  return {
    baseUrl: server.url,
    requests,
    waitForRequest: waiters.waitForRequest,
    clientAborted: server.clientAborted,
    close: server.close,
  };
}
