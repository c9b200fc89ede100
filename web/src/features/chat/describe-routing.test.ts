import { describe, expect, it } from "vitest";
import { describeRouting, isReroutedDelivery } from "./describe-routing.ts";

const ME = "00000000-0000-4000-8000-00000000000a";

describe("describeRouting", () => {
  it("says why the router picked the agent, as a sentence", () => {
    expect(describeRouting({ metadata: { routed_reason: "routed to @backend: sql, migrations" } }, ME)).toEqual({
      text: "Routed to @backend: sql, migrations",
      was: null,
      agentKey: null,
      reroutable: true,
    });
    expect(describeRouting({ metadata: { routed_reason: "no capability matched: the lead answers" } }, ME)?.text).toBe(
      "No capability matched: the lead answers",
    );
  });

  it("says who re-routed it to whom, keeping the router's reason", () => {
    const rerouted = { from: "backend", to: "web", by: ME, at: "2026-12-01T10:00:00Z" };
    expect(describeRouting({ metadata: { routed_reason: "routed to @backend: sql", rerouted } }, ME)).toEqual({
      text: "Re-routed to @web by you",
      was: "was routed to @backend: sql",
      agentKey: "web",
      reroutable: true,
    });
    const fromLead = {
      routed_reason: "no capability matched: the lead answers",
      rerouted: { ...rerouted, from: "lead", by: "someone-else" },
    };
    expect(describeRouting({ metadata: fromLead }, ME)).toMatchObject({
      text: "Re-routed to @web by an operator",
      was: "was for @lead",
    });
  });

  it("shows a routed /command but offers no re-route (it started a run), and nothing for a mention", () => {
    expect(describeRouting({ metadata: { routed_reason: "routed to @backend: sql", command: "implement" } }, ME)).toMatchObject({
      reroutable: false,
    });
    expect(describeRouting({ metadata: {} }, ME)).toBeNull();
    expect(describeRouting({ metadata: { routed_reason: 3 } }, ME)).toBeNull();
  });
});

describe("isReroutedDelivery", () => {
  it("tells a delivery the re-route cancelled from a real failure", () => {
    expect(isReroutedDelivery({ status: "failed", error: "Re-routed to @web before @backend started on it" })).toBe(true);
    expect(isReroutedDelivery({ status: "failed", error: "Waited in the queue for more than 00:02:00" })).toBe(false);
    expect(isReroutedDelivery({ status: "queued", error: null })).toBe(false);
  });
});
