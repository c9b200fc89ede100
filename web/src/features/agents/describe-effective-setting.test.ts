import { resolveAgentSettings } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { describeEffectiveSetting } from "./describe-effective-setting.ts";

const connections = [{ id: "11111111-2222-4333-8444-555555555555", name: "OpenRouter", default_model: "meta-llama/llama-3.3-70b" }];

describe("describeEffectiveSetting", () => {
  it("says a value came from the project defaults", () => {
    const resolved = resolveAgentSettings({ project: { provider: "openai_compatible", model: "gpt-4o-mini" }, agent: {} });
    expect(describeEffectiveSetting(resolved, "model", connections)).toEqual({ value: "gpt-4o-mini", source: "from project defaults" });
    expect(describeEffectiveSetting(resolved, "provider", connections)).toEqual({
      value: "Environment OpenAI-compatible",
      source: "from project defaults",
    });
  });

  it("says a value is set on the agent, and formats token counts", () => {
    const resolved = resolveAgentSettings({ project: { max_context_tokens: 16000 }, agent: { max_context_tokens: 32000 } });
    expect(describeEffectiveSetting(resolved, "max_context_tokens", connections)).toEqual({ value: "32,000", source: "set on this agent" });
  });

  it("falls back to the built-in model when nothing is set", () => {
    const resolved = resolveAgentSettings({});
    expect(describeEffectiveSetting(resolved, "model", connections)).toEqual({ value: "builtin-offline", source: "built-in default" });
    expect(describeEffectiveSetting(resolved, "provider", connections).value).toBe("Built-in offline");
  });

  it("names a connection, and uses its default model when no layer sets one", () => {
    const resolved = resolveAgentSettings({ agent: { provider: "connection", provider_connection_id: connections[0]?.id ?? null } });
    expect(describeEffectiveSetting(resolved, "provider", connections)).toEqual({ value: "OpenRouter", source: "set on this agent" });
    expect(describeEffectiveSetting(resolved, "model", connections)).toEqual({
      value: "meta-llama/llama-3.3-70b",
      source: "the connection's default model",
    });
  });

  it("warns that the offline model answers when a real provider has no model", () => {
    const resolved = resolveAgentSettings({ agent: { provider: "anthropic" } });
    expect(describeEffectiveSetting(resolved, "model", connections)).toEqual({
      value: "builtin-offline",
      source: "no model set, so the offline model answers: set one",
    });
  });

  it("runs a CLI connection without a model as its name", () => {
    const cli = [{ id: "22222222-2222-4333-8444-555555555555", name: "claude-code", default_model: null, kind: "cli" }];
    const resolved = resolveAgentSettings({ agent: { provider: "connection", provider_connection_id: cli[0]?.id ?? null } });
    expect(describeEffectiveSetting(resolved, "model", cli).value).toBe("claude-code");
  });

  it("says so when the agent's connection is gone", () => {
    const resolved = resolveAgentSettings({
      agent: { provider: "connection", provider_connection_id: "99999999-2222-4333-8444-555555555555" },
    });
    expect(describeEffectiveSetting(resolved, "provider", connections).value).toBe("a connection that no longer exists");
  });
});
