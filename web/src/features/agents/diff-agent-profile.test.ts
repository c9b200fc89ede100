import type { TAgent } from "@mission-control/shared/rows";
import { ZAgentProfile } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { diffAgentProfile } from "./diff-agent-profile.ts";

const agent: TAgent = {
  id: "a1",
  project_id: "p1",
  agent_key: "lead",
  display_name: "Lead",
  role: "Plans the work",
  enabled: true,
  provider: null,
  provider_connection_id: null,
  model: null,
  system_prompt: "You lead.",
  temperature: null,
  max_context_tokens: null,
  max_output_tokens: null,
  verbosity: null,
  tools_enabled: ["create_task", "send_message"],
  risk_tolerance: "medium",
  capabilities: ["planning"],
  heartbeat: {},
  created_at: "2026-11-30T10:00:00Z",
  updated_at: "2026-11-30T10:00:00Z",
  seq: 1,
};

const profileOf = (patch: Record<string, unknown>) => ZAgentProfile.parse({ ...agent, ...patch });

describe("diffAgentProfile", () => {
  it("is empty when nothing changed, whatever the order of the tools", () => {
    expect(diffAgentProfile(agent, profileOf({ tools_enabled: ["send_message", "create_task"] }))).toEqual({});
  });

  it("carries only the changed fields", () => {
    expect(diffAgentProfile(agent, profileOf({ system_prompt: "You lead calmly.", temperature: 0.4 }))).toEqual({
      system_prompt: "You lead calmly.",
      temperature: 0.4,
    });
  });

  it("sends a rename as the new key", () => {
    expect(diffAgentProfile(agent, profileOf({ agent_key: "chief" }))).toEqual({ agent_key: "chief" });
  });

  it("sends the provider and its connection together", () => {
    const id = "11111111-2222-4333-8444-555555555555";
    expect(diffAgentProfile(agent, profileOf({ provider: "connection", provider_connection_id: id }))).toEqual({
      provider: "connection",
      provider_connection_id: id,
    });
    const onConnection = { ...agent, provider: "connection" as const, provider_connection_id: id };
    expect(diffAgentProfile(onConnection, profileOf({ provider: "builtin", provider_connection_id: null }))).toEqual({
      provider: "builtin",
      provider_connection_id: null,
    });
  });

  it("counts only the fields the operator edited, so a change made elsewhere meanwhile is not undone", () => {
    const disabledMeanwhile = { ...agent, enabled: false };
    const profile = profileOf({ enabled: true, system_prompt: "You lead calmly." });
    expect(diffAgentProfile(disabledMeanwhile, profile, ["system_prompt"])).toEqual({ system_prompt: "You lead calmly." });
    const id = "11111111-2222-4333-8444-555555555555";
    expect(diffAgentProfile(agent, profileOf({ provider: "connection", provider_connection_id: id }), ["provider"])).toEqual({
      provider: "connection",
      provider_connection_id: id,
    });
  });

  it("sends a setting set back to inherit as null", () => {
    const withModel = { ...agent, model: "gpt-4o-mini" };
    expect(diffAgentProfile(withModel, profileOf({ model: null }))).toEqual({ model: null });
  });
});
