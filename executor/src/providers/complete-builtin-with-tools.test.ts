import { describe, expect, it } from "vitest";
import { BUILTIN_MODEL, composeOfflineReply, OFFLINE_MARKER } from "./complete-builtin.ts";
import { completeBuiltinWithTools } from "./complete-builtin-with-tools.ts";
import { flattenLoopMessages } from "./flatten-loop-messages.ts";
import { parseToolArguments } from "./parse-tool-arguments.ts";
import type { TLoopMessage } from "./provider-types.ts";

const readFile = { name: "read_file", description: "Read a file", parameters: { type: "object" } };

describe("completeBuiltinWithTools", () => {
  it("answers as the chat model, without tools, outside a run", async () => {
    const messages: TLoopMessage[] = [
      { role: "system", content: "You are Nova." },
      { role: "user", content: "Add a CHANGELOG entry" },
    ];
    const result = await completeBuiltinWithTools({ model: "any", messages, tools: [readFile] });
    expect(result).toMatchObject({
      model: BUILTIN_MODEL,
      provider: "builtin",
      offline: true,
      attempts: 0,
      finishReason: "stop",
      toolCalls: [],
    });
    expect(result.text).toBe(composeOfflineReply(flattenLoopMessages(messages)));
  });

  it("calls tools in a run and reports tool_use with counted usage", async () => {
    const messages: TLoopMessage[] = [
      { role: "system", content: "You are Nova.\n\nRun mode: implement" },
      { role: "user", content: "Goal (implement run, iteration 1):\nAdd a CHANGELOG entry" },
    ];
    const result = await completeBuiltinWithTools({
      model: "any",
      messages,
      tools: [readFile, { name: "propose_changeset", description: "Propose", parameters: { type: "object" } }],
    });
    expect(result.text.startsWith(OFFLINE_MARKER)).toBe(true);
    expect(result.finishReason).toBe("tool_use");
    expect(result.toolCalls).toEqual([
      {
        id: "builtin_1_0",
        name: "read_file",
        arguments: { path: "CHANGELOG.md", max_lines: 2000 },
        rawArguments: expect.any(String),
        argumentsError: null,
      },
    ]);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled"));
    await expect(completeBuiltinWithTools({ model: "any", messages: [], tools: [], signal: controller.signal })).rejects.toThrow(
      "cancelled",
    );
  });
});

describe("parseToolArguments", () => {
  it("accepts a JSON string, an object (some local servers) and an empty string", () => {
    expect(parseToolArguments({ id: "a", name: "t", raw: '{"x":1}' })).toMatchObject({ arguments: { x: 1 }, argumentsError: null });
    expect(parseToolArguments({ id: "a", name: "t", raw: { x: 1 } })).toMatchObject({ arguments: { x: 1 }, rawArguments: '{"x":1}' });
    expect(parseToolArguments({ id: "a", name: "t", raw: "" })).toMatchObject({ arguments: {}, argumentsError: null });
    expect(parseToolArguments({ id: "a", name: "t", raw: "{oops" })).toMatchObject({ arguments: null, rawArguments: "{oops" });
  });
});
