import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseNumberedLines } from "./format-numbered-lines.ts";
import { listFilesTool } from "./list-files-tool.ts";
import { READ_FILE_MAX_BYTES, readFileTool } from "./read-file-tool.ts";
import { isMissingFileAnswer, ToolPathError } from "./resolve-readable-path.ts";
import { searchTextTool } from "./search-text-tool.ts";

let root: string;
let workspace: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-tools-"));
  workspace = path.join(root, "workspace");
  await fs.mkdir(path.join(workspace, "src", "deep", "er", "still", "more"), { recursive: true });
  await fs.writeFile(path.join(workspace, "README.md"), "# Hello\n\nThe workspace readme.\n");
  await fs.writeFile(path.join(workspace, "src", "index.ts"), "export const hello = 'world';\n// TODO: greet\n");
  await fs.writeFile(path.join(workspace, "src", "deep", "er", "still", "more", "leaf.txt"), "todo at the bottom\n");
  await fs.mkdir(path.join(workspace, ".mission-control", "journal"), { recursive: true });
  await fs.writeFile(path.join(workspace, ".mission-control", "journal", "secret.json"), '{"todo": "executor state"}\n');
  await fs.mkdir(path.join(workspace, "node_modules", "pkg"), { recursive: true });
  await fs.writeFile(path.join(workspace, "node_modules", "pkg", "index.js"), "// todo in a dependency\n");
  await fs.mkdir(path.join(workspace, ".git"), { recursive: true });
  await fs.writeFile(path.join(workspace, ".git", "HEAD"), "todo: ref\n");
  await fs.writeFile(path.join(workspace, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x74, 0x6f, 0x64, 0x6f]));
  await fs.writeFile(path.join(root, "outside.txt"), "todo outside the workspace\n");
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<ToolPathError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolPathError);
  return err as ToolPathError;
}

describe("readFileTool", () => {
  it("answers the file with line numbers and records path, bytes and lines", async () => {
    const outcome = await readFileTool(workspace, { path: "README.md" });
    expect(outcome.content).toBe("README.md · lines 1-3 of 3 · 31 bytes\n1\t# Hello\n2\t\n3\tThe workspace readme.\n(end of file)");
    expect(outcome.event).toEqual({
      kind: "read_file",
      summary: "Read README.md (3 lines)",
      data: { path: "README.md", bytes: 31, lines: 3, start_line: 1, total_lines: 3 },
    });
    expect(parseNumberedLines(outcome.content)).toEqual({ path: "README.md", content: "# Hello\n\nThe workspace readme.\n" });
  });

  it("shows a window of a longer file and says how to read on", async () => {
    await fs.writeFile(path.join(workspace, "long.txt"), Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n"));
    const outcome = await readFileTool(workspace, { path: "long.txt", start_line: 4, max_lines: 3 });
    expect(outcome.content.split("\n")).toEqual([
      "long.txt · lines 4-6 of 10 · 70 bytes",
      "4\tline 4",
      "5\tline 5",
      "6\tline 6",
      "(4 more lines: call read_file with start_line=7)",
    ]);
    expect(outcome.event.summary).toBe("Read long.txt (3 lines, from line 4)");
    expect(parseNumberedLines(outcome.content)).toBeNull();
    const end = await readFileTool(workspace, { path: "long.txt", start_line: 9 });
    expect(end.content.endsWith("10\tline 10\n(no newline at end of file)\n(end of file)")).toBe(true);
  });

  it("reads at most 200 KB of a large file and says so", async () => {
    const line = `${"x".repeat(99)}\n`;
    await fs.writeFile(path.join(workspace, "big.log"), line.repeat(3000));
    const outcome = await readFileTool(workspace, { path: "big.log", max_lines: 2000 });
    expect(outcome.content.split("\n")[0]).toBe(
      `big.log · lines 1-2000 of a larger file · 300000 bytes (only the first ${READ_FILE_MAX_BYTES} bytes can be read)`,
    );
    const past = await refusal(readFileTool(workspace, { path: "big.log", start_line: 2500 }));
    expect(past.message).toBe("big.log has 2048 readable lines: start_line 2500 is past its end");
  });

  it("refuses paths that leave the workspace: .., absolute, and a symlink to the outside", async () => {
    expect((await refusal(readFileTool(workspace, { path: "../outside.txt" }))).reason).toBe("escape");
    expect((await refusal(readFileTool(workspace, { path: path.join(root, "outside.txt") }))).reason).toBe("escape");
    await fs.symlink(root, path.join(workspace, "up"));
    const viaLink = await refusal(readFileTool(workspace, { path: "up/outside.txt" }));
    expect(viaLink.message).toBe("up/outside.txt goes through a symlink that points outside the workspace");
    await fs.symlink(path.join(root, "outside.txt"), path.join(workspace, "linked.txt"));
    expect((await refusal(readFileTool(workspace, { path: "linked.txt" }))).message).toBe(
      "linked.txt is a symlink that points outside the workspace",
    );
  });

  it("never reads the executor's .mission-control folder, however it is named", async () => {
    for (const asked of [".mission-control/journal/secret.json", "./.mission-control/journal/secret.json", "src/../.mission-control/x"]) {
      const err = await refusal(readFileTool(workspace, { path: asked }));
      expect(["executor_state", "escape"]).toContain(err.reason);
    }
    await fs.symlink(path.join(workspace, ".mission-control"), path.join(workspace, "state"));
    expect((await refusal(readFileTool(workspace, { path: "state/journal/secret.json" }))).reason).toBe("executor_state");
  });

  it("refuses binary files and folders, and says when a file is missing without creating anything", async () => {
    const binary = await refusal(readFileTool(workspace, { path: "logo.png" }));
    expect(binary.message).toBe("logo.png looks like a binary file (it contains NUL bytes): read_file reads text files only");
    expect((await refusal(readFileTool(workspace, { path: "src" }))).reason).toBe("wrong_kind");
    const missing = await refusal(readFileTool(workspace, { path: "new/folder/file.md" }));
    expect(isMissingFileAnswer(missing.message)).toBe(true);
    await expect(fs.stat(path.join(workspace, "new"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("listFilesTool", () => {
  it("lists two levels by default, with sizes, skipping .git, node_modules and .mission-control", async () => {
    const outcome = await listFilesTool(workspace, {});
    expect(outcome.content.split("\n")).toEqual([
      "the workspace: 3 files and 2 folders, 2 levels deep",
      "README.md (31 B)",
      "logo.png (10 B)",
      "src/",
      "src/deep/",
      "src/index.ts (45 B)",
    ]);
    expect(outcome.event).toMatchObject({ kind: "tool_call", summary: "Listed the workspace (3 files, 2 folders)" });
  });

  it("goes at most 4 levels deep and shows symlinks without following them", async () => {
    await fs.symlink(root, path.join(workspace, "src", "up"));
    const outcome = await listFilesTool(workspace, { path: "src", depth: 9 });
    const lines = outcome.content.split("\n");
    expect(lines[0]).toBe("src/: 1 file and 4 folders, 4 levels deep");
    expect(lines).toContain("src/up@");
    expect(lines).toContain("src/deep/er/still/more/");
    expect(lines.some((line) => line.includes("leaf.txt") || line.includes("outside"))).toBe(false);
  });

  it("refuses .mission-control, files and folders outside the workspace", async () => {
    expect((await refusal(listFilesTool(workspace, { path: ".mission-control" }))).reason).toBe("executor_state");
    expect((await refusal(listFilesTool(workspace, { path: "README.md" }))).reason).toBe("wrong_kind");
    expect((await refusal(listFilesTool(workspace, { path: "../" }))).reason).toBe("escape");
    await fs.symlink(root, path.join(workspace, "up"));
    expect((await refusal(listFilesTool(workspace, { path: "up" }))).reason).toBe("escape");
  });
});

describe("searchTextTool", () => {
  it("finds the lines that contain the text, case-insensitively, in text files of the workspace only", async () => {
    await fs.symlink(path.join(root, "outside.txt"), path.join(workspace, "outside-link.txt"));
    const outcome = await searchTextTool(workspace, { query: "TODO" });
    expect(outcome.content.split("\n")).toEqual([
      '2 matches in 2 files for "TODO" in the workspace (3 text files searched)',
      "src/index.ts:2: // TODO: greet",
      "src/deep/er/still/more/leaf.txt:1: todo at the bottom",
    ]);
    expect(outcome.event.data).toMatchObject({ matches: 2, files: 2, stopped_by: null });
  });

  it("stops at max_results and says so", async () => {
    await fs.writeFile(path.join(workspace, "many.txt"), "hit\n".repeat(50));
    const outcome = await searchTextTool(workspace, { query: "hit", max_results: 5 });
    const lines = outcome.content.split("\n");
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe("(stopped at 5 matches: narrow the search with path or a more specific query)");
  });

  it("refuses to search .mission-control", async () => {
    expect((await refusal(searchTextTool(workspace, { query: "todo", path: ".mission-control" }))).reason).toBe("executor_state");
  });
});
