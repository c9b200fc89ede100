import { resolveAgentSettings } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { draftFromDefaults, parseAgentDefaultsDraft, type TAgentDefaultsDraft } from "./agent-defaults-draft.ts";

const EMPTY: TAgentDefaultsDraft = {
  provider: "",
  model: "",
  temperature: "",
  max_context_tokens: "",
  max_output_tokens: "",
  verbosity: "",
};
const CONNECTION_ID = "8f1d3c52-6f0e-4a53-9d4e-0c8a4c2b7a11";

describe("parseAgentDefaultsDraft", () => {
  it("stores only the fields that are set, so empty ones keep inheriting the built-in values", () => {
    expect(parseAgentDefaultsDraft(EMPTY)).toEqual({ ok: true, value: {} });
    const result = parseAgentDefaultsDraft({
      ...EMPTY,
      provider: "openai_compatible",
      model: " gpt-4o-mini ",
      temperature: "0.7",
      verbosity: "concise",
    });
    expect(result).toEqual({
      ok: true,
      value: { provider: "openai_compatible", model: "gpt-4o-mini", temperature: 0.7, verbosity: "concise" },
    });
    if (!result.ok) return;
    const resolved = resolveAgentSettings({ project: result.value });
    expect(resolved.sources).toMatchObject({ provider: "project", model: "project", max_context_tokens: "built_in" });
  });

  it("picks a connection and its id with one choice, and round-trips it", () => {
    const result = parseAgentDefaultsDraft({ ...EMPTY, provider: `connection:${CONNECTION_ID}` });
    expect(result).toEqual({ ok: true, value: { provider: "connection", provider_connection_id: CONNECTION_ID } });
    if (result.ok) expect(draftFromDefaults(result.value)).toEqual({ ...EMPTY, provider: `connection:${CONNECTION_ID}` });
  });

  it("says what is wrong beside each field, the connection's problems on the provider", () => {
    expect(parseAgentDefaultsDraft({ ...EMPTY, provider: "connection:", temperature: "3", max_context_tokens: "2k" })).toEqual({
      ok: false,
      issues: {
        provider: "pick a provider connection (Settings → Providers)",
        temperature: "must be between 0 and 2",
        max_context_tokens: "must be a whole number",
      },
    });
    expect(parseAgentDefaultsDraft({ ...EMPTY, max_context_tokens: "1000", max_output_tokens: "1000" })).toEqual({
      ok: false,
      issues: { max_output_tokens: "must be smaller than the max context tokens" },
    });
  });
});
