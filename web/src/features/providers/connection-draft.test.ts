import { describe, expect, it } from "vitest";
import { draftFromConnection, emptyConnectionDraft, parseConnectionDraft } from "./connection-draft.ts";

describe("parseConnectionDraft", () => {
  it("validates an OpenAI-compatible connection with the shared schema, dropping the CLI fields", () => {
    const result = parseConnectionDraft({
      ...emptyConnectionDraft(),
      name: " Ollama ",
      base_url: "http://127.0.0.1:11434/v1",
      keyless: true,
      cli_command: "left over",
    });
    expect(result).toEqual({
      ok: true,
      input: {
        name: "Ollama",
        kind: "openai_compatible",
        base_url: "http://127.0.0.1:11434/v1",
        keyless: true,
        default_model: null,
        cli_command: null,
        cli_timeout_seconds: 300,
      },
    });
  });

  it("puts each problem beside its field", () => {
    expect(parseConnectionDraft({ ...emptyConnectionDraft(), name: "", base_url: "" })).toEqual({
      ok: false,
      issues: { name: "is required", base_url: "is required for an OpenAI-compatible connection" },
    });
    const badUrl = parseConnectionDraft({ ...emptyConnectionDraft(), name: "x", base_url: "ftp://host" });
    expect(badUrl.ok).toBe(false);
    expect(badUrl.ok ? null : badUrl.issues.base_url).toMatch(/http/);
  });

  it("needs a command line and a whole-second timeout for a CLI agent, and drops its base URL and keyless flag", () => {
    expect(parseConnectionDraft({ ...emptyConnectionDraft("cli"), name: "Claude", cli_command: "" })).toEqual({
      ok: false,
      issues: { cli_command: "is required for a CLI agent" },
    });
    expect(
      parseConnectionDraft({ ...emptyConnectionDraft("cli"), name: "Claude", cli_command: "claude -p", cli_timeout_seconds: "1.5" }),
    ).toEqual({
      ok: false,
      issues: { cli_timeout_seconds: "must be a whole number of seconds (1 to 3600)" },
    });
    const ok = parseConnectionDraft({
      ...emptyConnectionDraft("cli"),
      name: "Claude",
      cli_command: "claude -p",
      cli_timeout_seconds: "120",
      base_url: "https://stale",
      keyless: true,
    });
    expect(ok).toMatchObject({
      ok: true,
      input: { kind: "cli", base_url: null, keyless: false, cli_command: "claude -p", cli_timeout_seconds: 120 },
    });
    expect(parseConnectionDraft({ ...emptyConnectionDraft("cli"), name: "C", cli_command: "c", cli_timeout_seconds: "4000" })).toEqual({
      ok: false,
      issues: { cli_timeout_seconds: "must be at most 3600 seconds" },
    });
  });

  it("round-trips a stored connection through the editor", () => {
    const draft = draftFromConnection({
      id: "c1",
      project_id: "p1",
      name: "Anthropic",
      kind: "anthropic",
      base_url: null,
      keyless: false,
      default_model: "claude-sonnet-4-5",
      cli_command: null,
      cli_timeout_seconds: 300,
      key_last4: "abcd",
      key_updated_at: null,
      created_by: null,
      created_at: "",
      updated_at: "",
      seq: 1,
    });
    expect(parseConnectionDraft(draft)).toMatchObject({
      ok: true,
      input: { name: "Anthropic", kind: "anthropic", base_url: null, default_model: "claude-sonnet-4-5" },
    });
  });
});
