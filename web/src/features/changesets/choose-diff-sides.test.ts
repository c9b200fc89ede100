import { describe, expect, it } from "vitest";
import { changesetFileRow } from "../../testing/test-rows.ts";
import { chooseDiffSides } from "./choose-diff-sides.ts";

const file = changesetFileRow("f1", { base_content: "a\n", new_content: "a\nb\n" });
const current = (over: Partial<{ exists: boolean; content: string | null; matches_base: boolean }>) => ({
  path: file.path,
  exists: true,
  sha256: "x",
  content: "a\n",
  matches_base: true,
  ...over,
});

describe("chooseDiffSides", () => {
  it("shows the proposed diff while the file is still what the agent read", () => {
    const sides = chooseDiffSides({ status: "proposed" }, file, current({}));
    expect(sides).toMatchObject({ oldValue: "a\n", newValue: "a\nb\n", drift: null, oldTitle: "When proposed" });
  });

  it("diffs against the real current file when it changed since the proposal", () => {
    const sides = chooseDiffSides({ status: "proposed" }, file, current({ content: "a\nlocal edit\n", matches_base: false }));
    expect(sides).toMatchObject({ oldValue: "a\nlocal edit\n", newValue: "a\nb\n", drift: "changed" });
  });

  it("says when a file was removed meanwhile, or is too large to show", () => {
    expect(chooseDiffSides({ status: "proposed" }, file, current({ exists: false, content: null, matches_base: false }))).toMatchObject({
      oldValue: "",
      drift: "changed",
    });
    expect(chooseDiffSides({ status: "proposed" }, file, current({ content: null, matches_base: false })).drift).toBe("unreadable");
  });

  it("keeps the proposed diff once the changeset is decided (an applied file differs from its base by design)", () => {
    expect(chooseDiffSides({ status: "applied" }, file, current({ content: "a\nb\n", matches_base: false })).drift).toBeNull();
  });

  it("shows a new file against nothing and a deleted file against nothing new", () => {
    const added = chooseDiffSides({ status: "proposed" }, { change_kind: "add", base_content: null, new_content: "x\n" }, undefined);
    expect(added).toMatchObject({ oldValue: "", oldTitle: "No file before" });
    const deleted = chooseDiffSides({ status: "proposed" }, { change_kind: "delete", base_content: "x\n", new_content: null }, undefined);
    expect(deleted).toMatchObject({ newValue: "", newTitle: "Deleted" });
  });
});
