import { describe, expect, it } from "vitest";
import { describeRunEventData } from "./describe-run-event-data.ts";

describe("describeRunEventData", () => {
  it("shows a test result's facts first and its output as a block", () => {
    const fields = describeRunEventData({
      data: { output_tail: "1 failed\n2 passed", passed: false, exit_code: 1, command: "pnpm test", duration_ms: 4200, timed_out: false },
    });
    expect(fields.map((f) => [f.label, f.value, f.block])).toEqual([
      ["Command", "pnpm test", false],
      ["Exit code", "1", false],
      ["Passed", "no", false],
      ["Timed out", "no", false],
      ["Duration", "4.2 s", false],
      ["Output (last lines)", "1 failed\n2 passed", true],
    ]);
  });

  it("writes a tool call's arguments as JSON and keeps keys it does not know", () => {
    const fields = describeRunEventData({ data: { tool: "read_file", arguments: { path: "a.md" }, ok: true, extra_key: "x", empty: "" } });
    expect(fields.map((f) => f.key)).toEqual(["tool", "ok", "arguments", "extra_key"]);
    expect(fields.find((f) => f.key === "arguments")?.value).toBe('{\n  "path": "a.md"\n}');
    expect(fields.find((f) => f.key === "extra_key")?.label).toBe("extra key");
  });

  it("has nothing to expand for an event without data", () => {
    expect(describeRunEventData({ data: {} })).toEqual([]);
  });
});
