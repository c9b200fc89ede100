import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInsideWorkspace, resolveWorkspacePath, WorkspaceEscapeError } from "./resolve-workspace-path.ts";

let root: string;
let workspace: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-workspace-path-"));
  workspace = path.join(root, "workspace");
  await fs.mkdir(workspace);
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("isInsideWorkspace", () => {
  it.each([
    ["....//x.txt", true],
    ["..x/y.txt", true],
    ["...", true],
    ["a/../b.txt", true],
    ["../x.txt", false],
    ["..", false],
    ["a/../../x.txt", false],
    [".", false],
  ])("compares path segments: %s inside is %s", (relative, expected) => {
    expect(isInsideWorkspace(workspace, path.resolve(workspace, relative))).toBe(expected);
  });
});

describe("resolveWorkspacePath", () => {
  it("accepts names that merely start with two dots, such as ....//x.txt", async () => {
    const target = await resolveWorkspacePath(workspace, "....//x.txt");
    expect(target.relative).toBe("..../x.txt");
    expect(target.file).toBe(path.join(await fs.realpath(workspace), "....", "x.txt"));
  });

  it("still refuses a .. segment that leaves the workspace", async () => {
    await expect(resolveWorkspacePath(workspace, "a/../../x.txt")).rejects.toBeInstanceOf(WorkspaceEscapeError);
    await expect(resolveWorkspacePath(workspace, "../x.txt")).rejects.toThrow("leaves the workspace");
  });
});
