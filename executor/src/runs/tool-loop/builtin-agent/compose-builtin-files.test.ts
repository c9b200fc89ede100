import { describe, expect, it } from "vitest";
import { addChangelogEntry, appendNote, composeNewFile } from "./compose-builtin-files.ts";

describe("addChangelogEntry", () => {
  it("adds the entry first under a leading Unreleased section", () => {
    expect(addChangelogEntry("# Changelog\n\n## [Unreleased]\n\n- Older.\n\n## 1.0.0\n- One.\n", "New.")).toBe(
      "# Changelog\n\n## [Unreleased]\n\n- New.\n- Older.\n\n## 1.0.0\n- One.\n",
    );
  });

  it("opens an Unreleased section before the first release, after the title and its introduction", () => {
    expect(addChangelogEntry("# Changelog\nAll notable changes.\n\n## 1.0.0\n- One.\n", "New.")).toBe(
      "# Changelog\nAll notable changes.\n\n## Unreleased\n\n- New.\n\n## 1.0.0\n- One.\n",
    );
    expect(addChangelogEntry("# Changelog\n\n\nSome text.\n", "New.")).toBe("# Changelog\n\n## Unreleased\n\n- New.\n\nSome text.\n");
    expect(addChangelogEntry("- loose line\n", "New.")).toBe("## Unreleased\n\n- New.\n\n- loose line\n");
  });

  it("starts a changelog for a missing or empty file and keeps CRLF line ends", () => {
    expect(addChangelogEntry(null, "New.")).toBe("# Changelog\n\n## Unreleased\n\n- New.\n");
    expect(addChangelogEntry(" \n", "New.")).toBe("# Changelog\n\n## Unreleased\n\n- New.\n");
    expect(addChangelogEntry("# Changelog\r\n\r\n## Unreleased\r\n\r\n- Old.\r\n", "New.")).toBe(
      "# Changelog\r\n\r\n## Unreleased\r\n\r\n- New.\r\n- Old.\r\n",
    );
  });
});

describe("composeNewFile and appendNote", () => {
  it("drafts a file in its own format", () => {
    const goal = { headline: "Create a.json", topic: "the demo", content: null };
    expect(JSON.parse(composeNewFile("config/a.json", goal))).toEqual({ name: "A", description: "The demo." });
    expect(composeNewFile("run.sh", goal).startsWith("#!/bin/sh\n# Run: The demo.\n")).toBe(true);
    expect(composeNewFile("x.md", { ...goal, content: "exact" })).toBe("exact\n");
  });

  it("adds a note in the file's syntax, and leaves JSON alone", () => {
    expect(appendNote("a.py", "x = 1\n", "note")).toBe("x = 1\n\n# note\n");
    expect(appendNote("a.md", "", "note")).toBe("note\n");
    expect(appendNote("a.json", "{}\n", "note")).toBeNull();
  });
});
