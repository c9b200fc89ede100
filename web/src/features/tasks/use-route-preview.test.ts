import { describe, expect, it } from "vitest";
import { describeRoutePreview } from "./use-route-preview.ts";

describe("describeRoutePreview", () => {
  it("says whom the task would go to and the capabilities that matched", () => {
    expect(describeRoutePreview({ agent_key: "backend", reason: "routed to @backend: sql, migrations" })).toEqual({
      agentKey: "backend",
      line: "Routes to @backend: sql, migrations",
    });
  });

  it("names the lead when nothing matched, and says what to do when no agent is enabled", () => {
    expect(describeRoutePreview({ agent_key: "lead", reason: "no capability matched: the lead answers" }).line).toBe(
      "Routes to @lead: no capability matched: the lead answers",
    );
    expect(describeRoutePreview({ agent_key: null, reason: "no enabled agent: enable one on the Agents page" })).toEqual({
      agentKey: null,
      line: "Nobody to route to: enable an agent on the Agents page",
    });
  });
});
