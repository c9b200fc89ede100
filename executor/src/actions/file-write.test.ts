import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TDb } from "../db/executor-client.ts";
import type { TActionContext, TProposalRow } from "./action-types.ts";
import { fileWrite } from "./file-write.ts";

let root: string;
let workspace: string;
let outside: string;

const ctx = (): TActionContext => ({
  db: {} as TDb,
  proposal: { id: crypto.randomUUID(), project_id: crypto.randomUUID() } as TProposalRow,
  workspaceDir: workspace,
  apiCall: { defaultTimeoutMs: 1000, maxBodyChars: 100 },
  signal: new AbortController().signal,
  log: pino({ level: "silent" }),
});

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-file-write-"));
  workspace = path.join(root, "workspace");
  outside = path.join(root, "outside");
  await fs.mkdir(workspace);
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, "secret.txt"), "keep me");
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("fileWrite", () => {
  it("creates a file in a new folder and records that it did not exist before", async () => {
    const outcome = await fileWrite(ctx(), { path: "notes/plan.md", content: "# Plan\n" });
    expect(outcome).toMatchObject({
      ok: true,
      result: { path: "notes/plan.md", bytes: 7, previous_existed: false, previous_content: null, previous: "did not exist" },
    });
    expect(await fs.readFile(path.join(workspace, "notes", "plan.md"), "utf8")).toBe("# Plan\n");
  });

  it("replaces a file atomically and keeps the previous content for rollback", async () => {
    await fs.writeFile(path.join(workspace, "plan.md"), "old text");
    const outcome = await fileWrite(ctx(), { path: "plan.md", content: "new text" });
    expect(outcome).toMatchObject({ ok: true, result: { previous_existed: true, previous_content: "old text" } });
    expect(await fs.readFile(path.join(workspace, "plan.md"), "utf8")).toBe("new text");
    expect(await fs.readdir(workspace)).toEqual(["plan.md"]);
  });

  it("refuses ../ and absolute paths and writes nothing", async () => {
    for (const escaping of ["../outside/secret.txt", "notes/../../outside/secret.txt", path.join(outside, "secret.txt")]) {
      const outcome = await fileWrite(ctx(), { path: escaping, content: "pwned" });
      expect(outcome.ok).toBe(false);
      expect(outcome).toMatchObject({ error: expect.stringMatching(/Refused to write.*Nothing was written/) });
    }
    expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe("keep me");
  });

  it("refuses a symlinked folder that points outside the workspace", async () => {
    await fs.symlink(outside, path.join(workspace, "link"));
    const outcome = await fileWrite(ctx(), { path: "link/secret.txt", content: "pwned" });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("symlink that points outside") });
    const nested = await fileWrite(ctx(), { path: "link/new/deeper.txt", content: "pwned" });
    expect(nested.ok).toBe(false);
    expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe("keep me");
    await expect(fs.stat(path.join(outside, "new"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses a file that is a symlink to a file outside the workspace", async () => {
    await fs.symlink(path.join(outside, "secret.txt"), path.join(workspace, "innocent.txt"));
    const outcome = await fileWrite(ctx(), { path: "innocent.txt", content: "pwned" });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("symlink") });
    expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe("keep me");
  });

  it("works when the workspace itself is reached through a symlink", async () => {
    const alias = path.join(root, "alias");
    await fs.symlink(workspace, alias);
    const outcome = await fileWrite({ ...ctx(), workspaceDir: alias }, { path: "a.txt", content: "hello" });
    expect(outcome.ok).toBe(true);
    expect(await fs.readFile(path.join(workspace, "a.txt"), "utf8")).toBe("hello");
  });

  it("refuses to write over a folder", async () => {
    await fs.mkdir(path.join(workspace, "dir"));
    const outcome = await fileWrite(ctx(), { path: "dir", content: "x" });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("not a regular file") });
  });
});
