import { describe, expect, it } from "vitest";
import { buildApproveParams } from "./build-approve-params.ts";

const C = "3f0e8a4e-7c1d-4b7e-9a51-2f3c4d5e6f70";
const files = [
  { path: "src/b.ts", position: 1 },
  { path: "CHANGELOG.md", position: 0 },
  { path: "docs/c.md", position: 2 },
];

describe("buildApproveParams", () => {
  it("binds the approval to the checked paths in the changeset's order", () => {
    expect(buildApproveParams(C, files, new Set(["docs/c.md", "CHANGELOG.md"]))).toEqual({
      ok: true,
      params: { changeset_id: C, paths: ["CHANGELOG.md", "docs/c.md"] },
    });
  });

  it("approves every file when all are checked (the default)", () => {
    const all = buildApproveParams(C, files, new Set(files.map((f) => f.path)));
    expect(all.ok && all.params.paths).toEqual(["CHANGELOG.md", "src/b.ts", "docs/c.md"]);
  });

  it("ignores a checked path that is not a file of the changeset", () => {
    const result = buildApproveParams(C, files, new Set(["src/b.ts", "elsewhere.md"]));
    expect(result.ok && result.params.paths).toEqual(["src/b.ts"]);
  });

  it("refuses an approval of nothing, saying to reject instead", () => {
    expect(buildApproveParams(C, files, new Set())).toEqual({
      ok: false,
      error: "Select at least one file to approve, or reject the changeset.",
    });
  });
});
