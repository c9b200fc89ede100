import { describe, expect, it } from "vitest";
import { detectBuiltinIntent, findPaths } from "./detect-builtin-intent.ts";

describe("detectBuiltinIntent", () => {
  it("recognises requests to create a task, with the title taken from the request", () => {
    expect(detectBuiltinIntent("Create a task to write the release notes.")).toMatchObject({
      kind: "create_task",
      title: "Write the release notes",
    });
    expect(detectBuiltinIntent('@backend add a follow-up ticket: "Rotate the keys"')).toMatchObject({
      kind: "create_task",
      title: "Rotate the keys",
    });
    expect(detectBuiltinIntent("Open a new task\n\nCheck the backups every week.")).toMatchObject({
      kind: "create_task",
      title: "Check the backups every week",
    });
  });

  it("recognises a CHANGELOG entry and takes the entry from the goal", () => {
    expect(detectBuiltinIntent("Add a CHANGELOG entry for the runs page")).toEqual({ kind: "changelog", entry: "The runs page." });
    expect(detectBuiltinIntent("Add an entry to the changelog: Fixed the login bug!")).toEqual({
      kind: "changelog",
      entry: "Fixed the login bug!",
    });
    expect(detectBuiltinIntent("Update CHANGELOG.md")).toEqual({ kind: "changelog", entry: "Describe the latest changes." });
  });

  it("recognises files to write, quoted or plain, and a quoted content", () => {
    expect(detectBuiltinIntent("Create docs/a.md, docs/b.md and 'scripts/run it.sh' for the demo")).toMatchObject({
      kind: "files",
      paths: ["docs/a.md", "docs/b.md", "scripts/run it.sh"],
      topic: "the demo",
    });
    expect(detectBuiltinIntent('Write "notes/todo.txt" with the content "buy milk"')).toMatchObject({
      kind: "files",
      paths: ["notes/todo.txt"],
      content: "buy milk",
    });
  });

  it("does not take products, domains, abbreviations or paths leaving the workspace for files", () => {
    expect(findPaths("Write a Node.js script, e.g. for example.com, in ../up.txt or /etc/passwd.txt or https://x.io/a.js")).toEqual([]);
    expect(findPaths("Create scripts/node.js and `Button.js`.")).toEqual(["scripts/node.js", "Button.js"]);
    expect(detectBuiltinIntent("Write .mission-control/journal.json")).toEqual({ kind: "other" });
  });

  it("answers other for anything else", () => {
    expect(detectBuiltinIntent("Make the API faster")).toEqual({ kind: "other" });
    expect(detectBuiltinIntent("")).toEqual({ kind: "other" });
  });
});
