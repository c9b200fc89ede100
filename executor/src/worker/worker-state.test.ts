import { describe, expect, it } from "vitest";
import { moveWorkerState } from "./worker-state.ts";

describe("moveWorkerState", () => {
  it("returns the new state when the transition leaves an allowed state", () => {
    expect(moveWorkerState("delivery worker", "running", ["starting", "running"], "stopping")).toBe("stopping");
  });

  it("throws an internal error naming the loop and both states otherwise", () => {
    expect(() => moveWorkerState("delivery worker", "stopped", ["starting", "running"], "stopping")).toThrow(
      expect.objectContaining({
        code: "internal",
        message: "The delivery worker cannot go from stopped to stopping (only from starting or running)",
      }),
    );
  });
});
