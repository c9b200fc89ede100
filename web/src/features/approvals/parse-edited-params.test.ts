import { describe, expect, it } from "vitest";
import { parseEditedParams } from "./parse-edited-params.ts";

describe("parseEditedParams", () => {
  it("accepts params that match the action type's schema", () => {
    expect(parseEditedParams("file_write", '{"path":"docs/a.md","content":"x"}')).toEqual({
      ok: true,
      params: { path: "docs/a.md", content: "x" },
    });
  });

  it("refuses text that is not JSON", () => {
    const result = parseEditedParams("file_write", "{path:");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Not valid JSON/);
  });

  it("names the field that breaks the schema", () => {
    const result = parseEditedParams("file_write", '{"path":"../x","content":"x"}');
    expect(!result.ok && result.error).toMatch(/path: a relative path inside the workspace/);
    const extra = parseEditedParams("send_message", '{"thread_key":"team-room","content":"hi","extra":1}');
    expect(extra.ok).toBe(false);
  });

  it("refuses an unknown action type", () => {
    expect(parseEditedParams("launch_rocket", "{}").ok).toBe(false);
  });
});
