import { describe, expect, it } from "vitest";
import { draftFromAgent, type TAgentDraft } from "./agent-draft.ts";
import { draftSettingsLayer, parseAgentDraft } from "./parse-agent-draft.ts";

const draft = (patch: Partial<TAgentDraft> = {}): TAgentDraft => ({
  ...draftFromAgent(null),
  agent_key: "backend",
  display_name: "Backend",
  ...patch,
});

describe("parseAgentDraft", () => {
  it("turns a new agent's form into a profile that inherits every model setting", () => {
    const parsed = parseAgentDraft(draft({ capabilities: ["sql"], tools_enabled: ["create_task"] }));
    expect(parsed).toEqual({
      ok: true,
      profile: expect.objectContaining({
        agent_key: "backend",
        display_name: "Backend",
        enabled: true,
        provider: null,
        provider_connection_id: null,
        model: null,
        temperature: null,
        max_context_tokens: null,
        max_output_tokens: null,
        verbosity: null,
        tools_enabled: ["create_task"],
        risk_tolerance: "low",
        capabilities: ["sql"],
      }),
    });
  });

  it("reads numbers, including thousands separators, and a connection choice", () => {
    const parsed = parseAgentDraft(
      draft({
        provider: "connection:11111111-2222-4333-8444-555555555555",
        model: " gpt-4o-mini ",
        temperature: "0.7",
        max_context_tokens: "16,000",
        max_output_tokens: "2 000",
        verbosity: "concise",
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.profile).toMatchObject({
      provider: "connection",
      provider_connection_id: "11111111-2222-4333-8444-555555555555",
      model: "gpt-4o-mini",
      temperature: 0.7,
      max_context_tokens: 16000,
      max_output_tokens: 2000,
      verbosity: "concise",
    });
  });

  it("puts each problem beside its field, in the shared schema's words", () => {
    const parsed = parseAgentDraft(
      draft({ agent_key: "Bad Key", display_name: " ", temperature: "3", max_context_tokens: "lots", max_output_tokens: "8" }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.agent_key).toMatch(/lower-case/);
    expect(parsed.issues.display_name).toBe("is required");
    expect(parsed.issues.temperature).toBe("must be between 0 and 2");
    expect(parsed.issues.max_context_tokens).toMatch(/must be a number/);
    expect(parsed.issues.max_output_tokens).toBe("must be at least 16");
  });

  it("shows a missing connection on the provider field", () => {
    const parsed = parseAgentDraft(draft({ provider: "connection:" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.provider).toMatch(/pick a provider connection/);
  });

  it("refuses an output budget that does not fit in the context", () => {
    const parsed = parseAgentDraft(draft({ max_context_tokens: "4000", max_output_tokens: "4000" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.max_output_tokens).toBe("must be smaller than the max context tokens");
  });

  it("does not read a decimal comma as a thousands separator", () => {
    const parsed = parseAgentDraft(draft({ temperature: "0,5" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.temperature).toMatch(/must be a number/);
  });
});

describe("draftSettingsLayer", () => {
  it("reads the model settings leniently, so a half-typed number counts as not set", () => {
    expect(
      draftSettingsLayer(draft({ provider: "anthropic", temperature: "0.", max_context_tokens: "12k", verbosity: "detailed" })),
    ).toEqual({
      provider: "anthropic",
      provider_connection_id: null,
      model: null,
      temperature: 0,
      max_context_tokens: null,
      max_output_tokens: null,
      verbosity: "detailed",
    });
  });

  it("inherits the provider while no connection is picked", () => {
    expect(draftSettingsLayer(draft({ provider: "connection:" })).provider).toBeNull();
  });
});
