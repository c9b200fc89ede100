import { afterEach, describe, expect, it } from "vitest";
import { recordingSleep } from "../testing/start-fake-server.ts";
import { toAnthropicTurns } from "./complete-anthropic-with-tools.ts";
import { createProvider } from "./create-provider.ts";
import type { TLoopMessage, TProvider, TToolDefinition } from "./provider-types.ts";
import { requestBody, type TFakeToolScript, type TFakeToolServer } from "./testing/fake-tool-turns.ts";
import { startFakeAnthropicTools } from "./testing/start-fake-anthropic-tools.ts";

const KEY = "sk-ant-api03-SECRET-abcdefghijklmnop";
const tools: TToolDefinition[] = [
  { name: "list_files", description: "List files", parameters: { type: "object", properties: { path: { type: "string" } } } },
];
const messages: TLoopMessage[] = [
  { role: "system", content: "You are Atlas." },
  { role: "user", content: "What is in the workspace?" },
];

let server: TFakeToolServer | null = null;
let provider: TProvider | null = null;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = null;
  server = null;
});

async function setUp(script: TFakeToolScript) {
  server = await startFakeAnthropicTools(script);
  provider = createProvider(
    { kind: "anthropic", baseUrl: server.baseUrl, apiKey: KEY },
    { sleep: recordingSleep().sleep, random: () => 0 },
  );
  const completeWithTools = provider.completeWithTools?.bind(provider);
  if (!completeWithTools) throw new Error("an Anthropic provider calls tools");
  return { server, completeWithTools };
}

describe("completeAnthropicWithTools", () => {
  it("sends tools with input_schema and the system prompt on top, and returns tool_use blocks as tool calls", async () => {
    const { server, completeWithTools } = await setUp([
      { text: "Let me look.", toolCalls: [{ id: "toolu_1", name: "list_files", arguments: { path: "." } }] },
    ]);
    const result = await completeWithTools({ model: "claude-test", messages, tools, maxOutputTokens: 500 });
    expect(result).toMatchObject({
      text: "Let me look.",
      finishReason: "tool_use",
      provider: "anthropic",
      usage: { inputTokens: 100, outputTokens: 10, estimated: false },
      toolCalls: [{ id: "toolu_1", name: "list_files", arguments: { path: "." }, rawArguments: '{"path":"."}', argumentsError: null }],
    });
    const request = server.requests[0];
    expect(request?.url).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe(KEY);
    expect(request?.body).toMatchObject({
      model: "claude-test",
      max_tokens: 500,
      stream: false,
      system: "You are Atlas.",
      tools: [{ name: "list_files", description: "List files", input_schema: tools[0]?.parameters }],
      messages: [{ role: "user", content: [{ type: "text", text: "What is in the workspace?" }] }],
    });
  });

  it("sends tool results as one user turn of tool_result blocks with is_error", async () => {
    const { server, completeWithTools } = await setUp([{ text: "Two files." }]);
    const transcript: TLoopMessage[] = [
      ...messages,
      {
        role: "assistant",
        content: "Looking.",
        toolCalls: [
          { id: "toolu_1", name: "list_files", arguments: {}, rawArguments: "{}", argumentsError: null },
          { id: "toolu_2", name: "list_files", arguments: { path: "x" }, rawArguments: '{"path":"x"}', argumentsError: null },
        ],
      },
      { role: "tool", toolCallId: "toolu_1", toolName: "list_files", content: "a.md\nb.md", isError: false },
      { role: "tool", toolCallId: "toolu_2", toolName: "list_files", content: "No folder at x", isError: true },
    ];
    const result = await completeWithTools({ model: "claude-test", messages: transcript, tools });
    expect(result).toMatchObject({ text: "Two files.", finishReason: "stop", toolCalls: [] });
    expect(requestBody<{ messages: unknown[] }>(server, 0).messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "text", text: "Looking." },
          { type: "tool_use", id: "toolu_1", name: "list_files", input: {} },
          { type: "tool_use", id: "toolu_2", name: "list_files", input: { path: "x" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "a.md\nb.md", is_error: false },
          { type: "tool_result", tool_use_id: "toolu_2", content: "No folder at x", is_error: true },
        ],
      },
    ]);
  });

  it("aborts the request in flight with the signal's reason", async () => {
    const { server, completeWithTools } = await setUp([{ hang: true }]);
    const controller = new AbortController();
    const done = completeWithTools({ model: "claude-test", messages, tools, signal: controller.signal });
    await server.waitForRequest(1);
    controller.abort(new Error("cancelled"));
    await expect(done).rejects.toThrow("cancelled");
    await server.clientAborted;
  });
});

describe("toAnthropicTurns", () => {
  it("starts with a user turn and puts tool results before a user note in the same turn", () => {
    const { messages: turns } = toAnthropicTurns([
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "t1", name: "x", arguments: "not an object", rawArguments: "?", argumentsError: "bad" }],
      },
      { role: "user", content: "Also check the docs." },
      { role: "tool", toolCallId: "t1", toolName: "x", content: "done", isError: false },
    ]);
    expect(turns).toEqual([
      { role: "user", content: [{ type: "text", text: "(The conversation starts here.)" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "x", input: {} }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "done", is_error: false },
          { type: "text", text: "Also check the docs." },
        ],
      },
    ]);
  });
});
