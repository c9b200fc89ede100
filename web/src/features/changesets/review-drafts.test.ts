import { describe, expect, it } from "vitest";
import { describeReviewPlace, lineFromDiffClick, parseReviewDrafts } from "./review-drafts.ts";

const files = [{ path: "src/a.ts" }, { path: "CHANGELOG.md" }];

describe("parseReviewDrafts", () => {
  it("keeps comments on the changeset, a file and a line", () => {
    const result = parseReviewDrafts(
      [
        { kind: "revise", comment: " Use the helper ", path: "src/a.ts", line: 12 },
        { kind: "nit", comment: "Typo", path: "CHANGELOG.md", line: null },
        { kind: "question", comment: "Why now?", path: null, line: 4 },
      ],
      files,
    );
    expect(result).toEqual({
      ok: true,
      reviews: [
        { kind: "revise", comment: "Use the helper", path: "src/a.ts", line: 12 },
        { kind: "nit", comment: "Typo", path: "CHANGELOG.md", line: null },
        { kind: "question", comment: "Why now?", path: null, line: null },
      ],
    });
  });

  it("refuses no comment, an empty comment and a path outside the changeset", () => {
    expect(parseReviewDrafts([], files).ok).toBe(false);
    const empty = parseReviewDrafts([{ kind: "block", comment: "  ", path: "src/a.ts", line: 3 }], files);
    expect(empty).toEqual({ ok: false, error: "src/a.ts:3: write the comment" });
    expect(parseReviewDrafts([{ kind: "nit", comment: "x", path: "other.ts", line: null }], files)).toEqual({
      ok: false,
      error: "other.ts is not a file of this changeset.",
    });
  });
});

describe("lineFromDiffClick", () => {
  it("reads the side and the line of a gutter click", () => {
    expect(lineFromDiffClick("R12")).toEqual({ side: "new", line: 12 });
    expect(lineFromDiffClick("L7")).toEqual({ side: "old", line: 7 });
    expect(lineFromDiffClick("R0")).toBeNull();
    expect(lineFromDiffClick("x")).toBeNull();
  });
});

describe("describeReviewPlace", () => {
  it("names a line, a file or the whole changeset", () => {
    expect(describeReviewPlace({ path: "a.ts", line: 3 })).toBe("a.ts:3");
    expect(describeReviewPlace({ path: "a.ts", line: null })).toBe("a.ts");
    expect(describeReviewPlace({ path: null, line: null })).toBe("the whole changeset");
  });
});
