import { describe, expect, it } from "vitest";
import { buildRoutePath, matchRoutePath } from "./route-path.ts";

describe("matchRoutePath", () => {
  it("matches literal paths exactly", () => {
    expect(matchRoutePath("/health", "/health")).toEqual({});
    expect(matchRoutePath("/health", "/health/")).toBeNull();
    expect(matchRoutePath("/api/chat/deliver", "/api/chat")).toBeNull();
  });

  it("takes each :name segment as sent, and refuses an empty one", () => {
    expect(matchRoutePath("/api/tasks/:taskId/events", "/api/tasks/a%20b/events")).toEqual({ taskId: "a%20b" });
    expect(matchRoutePath("/api/tasks/:taskId/events", "/api/tasks//events")).toBeNull();
    expect(matchRoutePath("/api/tasks/:taskId/events", "/api/tasks/1/2/events")).toBeNull();
  });
});

describe("buildRoutePath", () => {
  it("encodes each parameter into its segment and round-trips with matchRoutePath", () => {
    const path = buildRoutePath("/api/approvals/:proposalId/execute", { proposalId: "a/b c" });
    expect(path).toBe("/api/approvals/a%2Fb%20c/execute");
    expect(matchRoutePath("/api/approvals/:proposalId/execute", path)).toEqual({ proposalId: "a%2Fb%20c" });
  });

  it("refuses to build a path with a parameter missing", () => {
    expect(() => buildRoutePath("/api/tasks/:taskId/events", {})).toThrow(/needs the path parameter :taskId/);
  });
});
