import { describe, expect, it } from "vitest";
import { readContextUsage } from "./read-context-usage.ts";

describe("readContextUsage", () => {
  it("reads the total, the budget and the non-empty parts the executor stores", () => {
    const read = readContextUsage(
      { system_prompt: 500, mission: 100, docs: 0, history: 5000, tools: 0, new_message: 400, total: 6000, max_context_tokens: 8000 },
      1,
    );
    expect(read).toEqual({ used: 6000, max: 8000, breakdown: "system prompt 500, mission 100, history 5000, new message 400" });
  });

  it("falls back to the agent's max_context_tokens when the usage has no budget", () => {
    expect(readContextUsage({ total: 10 }, 16000)?.max).toBe(16000);
  });

  it("is null before the agent has run", () => {
    expect(readContextUsage({}, 8000)).toBeNull();
  });
});
