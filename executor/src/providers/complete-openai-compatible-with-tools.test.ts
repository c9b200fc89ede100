import { afterEach, describe, expect, it } from "vitest";
import { recordingSleep } from "../testing/start-fake-server.ts";
import { createProvider } from "./create-provider.ts";
import type { TLoopMessage, TProvider, TToolDefinition } from "./provider-types.ts";
import { requestBody, type TFakeToolScript, type TFakeToolServer } from "./testing/fake-tool-turns.ts";
import { startFakeOpenAiTools } from "./testing/start-fake-openai-tools.ts";

const KEY = "sk-test-SECRET-0123456789abcdef";
const tools: TToolDefinition[] = [
  {
    name: "read_file",
    description: "Read a file",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];
const messages: TLoopMessage[] = [
  { role: "system", content: "You are Nova." },
  { role: "user", content: "Read the README" },
];

let server: TFakeToolServer | null = null;
let provider: TProvider | null = null;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = null;
  server = null;
});

async function setUp(script: TFakeToolScript, retry: { maxAttempts?: number } = {}) {
  server = await startFakeOpenAiTools(script);
  const clock = recordingSleep();
  provider = createProvider(
    { kind: "openai_compatible", baseUrl: server.baseUrl, apiKey: KEY, retry },
    { sleep: clock.sleep, random: () => 0 },
  );
  const completeWithTools = provider.completeWithTools?.bind(provider);
  if (!completeWithTools) throw new Error("an OpenAI-compatible provider calls tools");
  return { server, completeWithTools, waits: clock.waits };
}

describe("completeOpenAiCompatibleWithTools", () => {
  it("sends the tools as functions, unstreamed, and returns the tool calls with parsed arguments", async () => {
    const { server, completeWithTools } = await setUp([
      { toolCalls: [{ id: "call_1", name: "read_file", arguments: { path: "README.md" } }] },
    ]);
    const result = await completeWithTools({ model: "gpt-test", messages, tools, temperature: 0.2, maxOutputTokens: 300 });
    expect(result).toMatchObject({
      text: "",
      finishReason: "tool_use",
      provider: "openai_compatible",
      usage: { inputTokens: 100, outputTokens: 10, estimated: false },
      toolCalls: [
        { id: "call_1", name: "read_file", arguments: { path: "README.md" }, rawArguments: '{"path":"README.md"}', argumentsError: null },
      ],
    });
    const body = requestBody(server, 0);
    expect(body).toMatchObject({ model: "gpt-test", stream: false, temperature: 0.2, max_tokens: 300, messages });
    expect(body.tools).toEqual([{ type: "function", function: tools[0] }]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("sends earlier tool calls and their results in OpenAI's format, errors marked in the content", async () => {
    const { server, completeWithTools } = await setUp([{ text: "The README says hello." }]);
    const transcript: TLoopMessage[] = [
      ...messages,
      {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_1", name: "read_file", arguments: { path: "README.md" }, rawArguments: '{"path":"README.md"}', argumentsError: null },
          { id: "call_2", name: "read_file", arguments: { path: "NOPE.md" }, rawArguments: '{"path":"NOPE.md"}', argumentsError: null },
        ],
      },
      { role: "tool", toolCallId: "call_1", toolName: "read_file", content: "1\thello", isError: false },
      { role: "tool", toolCallId: "call_2", toolName: "read_file", content: "No file at NOPE.md", isError: true },
    ];
    const result = await completeWithTools({ model: "gpt-test", messages: transcript, tools });
    expect(result).toMatchObject({ text: "The README says hello.", finishReason: "stop", toolCalls: [] });
    const sent = requestBody<{ messages: unknown[] }>(server, 0).messages;
    expect(sent.slice(2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"README.md"}' } },
          { id: "call_2", type: "function", function: { name: "read_file", arguments: '{"path":"NOPE.md"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "1\thello" },
      { role: "tool", tool_call_id: "call_2", content: "Error: No file at NOPE.md" },
    ]);
  });

  it("keeps a call whose arguments are not JSON, with the raw text and the reason", async () => {
    const { completeWithTools } = await setUp([{ toolCalls: [{ id: "call_x", name: "read_file", arguments: '{"path": "README.md"' }] }]);
    const result = await completeWithTools({ model: "m", messages, tools });
    expect(result.toolCalls).toEqual([
      {
        id: "call_x",
        name: "read_file",
        arguments: null,
        rawArguments: '{"path": "README.md"',
        argumentsError: expect.stringContaining("not valid JSON"),
      },
    ]);
  });

  it("leaves tools out when none are offered and retries a 429 like a plain completion", async () => {
    const { server, completeWithTools, waits } = await setUp([{ status: 429, error: "slow down" }, { text: "Hi" }]);
    const result = await completeWithTools({ model: "m", messages, tools: [] });
    expect(result).toMatchObject({ text: "Hi", attempts: 2 });
    expect(waits).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).not.toHaveProperty("tools");
  });

  it("rejects a reply with neither text nor tool calls", async () => {
    const { completeWithTools } = await setUp([{ text: "" }]);
    await expect(completeWithTools({ model: "m", messages, tools })).rejects.toMatchObject({ code: "provider_bad_response" });
  });

  it("aborts the request in flight with the signal's reason", async () => {
    const { server, completeWithTools } = await setUp([{ hang: true }]);
    const controller = new AbortController();
    const reason = new Error("operator cancelled");
    const done = completeWithTools({ model: "m", messages, tools, signal: controller.signal });
    await server.waitForRequest(1);
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    await server.clientAborted;
  });
});
