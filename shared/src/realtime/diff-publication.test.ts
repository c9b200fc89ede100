import { describe, expect, it } from "vitest";
import { describeDrift, diffPublication, hasNoDrift } from "./diff-publication.ts";

describe("diffPublication", () => {
  it("reports no drift when the publication holds exactly the registered tables", () => {
    const drift = diffPublication([{ schema: "public", table: "a" }], [{ schema: "public", table: "a" }]);
    expect(hasNoDrift(drift)).toBe(true);
    expect(describeDrift(drift)).toMatch(/matches/);
  });

  it("names registered tables that are not published and published tables that are not registered", () => {
    const drift = diffPublication(
      [
        { schema: "public", table: "tasks" },
        { schema: "public", table: "projects" },
      ],
      [
        { schema: "public", table: "projects" },
        { schema: "public", table: "legacy" },
      ],
    );
    expect(drift.missingFromPublication).toEqual(["public.tasks"]);
    expect(drift.notInRegistry).toEqual(["public.legacy"]);
    expect(describeDrift(drift)).toContain("registered but not published: public.tasks");
    expect(describeDrift(drift)).toContain("published but not registered: public.legacy");
  });
});
