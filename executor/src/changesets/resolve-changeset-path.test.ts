import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceEscapeError } from "../actions/resolve-workspace-path.ts";
import { resolveChangesetPath } from "./resolve-changeset-path.ts";

let root: string;
let workspace: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-changeset-path-"));
  workspace = path.join(root, "workspace");
  await fs.mkdir(workspace);
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("resolveChangesetPath", () => {
  it.each([true, false])("accepts ....//x.txt (a folder named ....) with create %s", async (create) => {
    const target = await resolveChangesetPath(workspace, "....//x.txt", { create });
    expect(target.relative).toBe("..../x.txt");
  });

  it.each([true, false])("refuses a .. segment that leaves the workspace with create %s", async (create) => {
    await expect(resolveChangesetPath(workspace, "deep/../../x.txt", { create })).rejects.toBeInstanceOf(WorkspaceEscapeError);
  });
});
