import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ZChangesetInput } from "@mission-control/shared/schemas";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../env.ts";
import { waitFor } from "../testing/wait-for.ts";
import { applyChangesetFiles } from "./apply-changeset-files.ts";
import { readJournal } from "./changeset-journal.ts";
import { commitChangesetJournal } from "./commit-changeset-journal.ts";
import { computeChangesetFiles, type TChangesetFileProposal } from "./compute-changeset-files.ts";
import { recoverChangesetJournals, type TIsRecorded } from "./recover-changeset-journals.ts";

const CHILD_SCRIPT = path.join(repoRoot, "executor", "src", "changesets", "testing", "write-and-pause.ts");

/** The workspace before any changeset: four files, one of them CRLF without a final newline. */
const ORIGINAL: Record<string, string> = {
  "a.txt": "alpha\n",
  "b.txt": "bravo\r\nno newline",
  "c.txt": "charlie\n",
  "d.txt": "delta\n",
};
/** What the changeset makes of them (c.txt deleted, e.txt added in a new folder). */
const CHANGED: Record<string, string | null> = {
  "a.txt": "ALPHA\n",
  "b.txt": "BRAVO\r\n",
  "c.txt": null,
  "d.txt": "DELTA\n",
  "new/e.txt": "echo\n",
};

let root: string;
let workspace: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-recover-changeset-"));
  await fs.mkdir(path.join(root, "workspace"));
  workspace = await fs.realpath(path.join(root, "workspace"));
  for (const [p, content] of Object.entries(ORIGINAL)) await fs.writeFile(path.join(workspace, p), content);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await fs.rm(root, { recursive: true, force: true });
});

/** Every file of the workspace (outside .mission-control) with its content. */
async function snapshot(): Promise<Record<string, string>> {
  const entries = await fs.readdir(workspace, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(workspace, full).split(path.sep).join("/");
    if (relative.startsWith(".mission-control/")) continue;
    files[relative] = await fs.readFile(full, "utf8");
  }
  return files;
}

const withoutNulls = (files: Record<string, string | null>) =>
  Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== null));

async function propose(): Promise<TChangesetFileProposal[]> {
  return computeChangesetFiles(
    workspace,
    ZChangesetInput.parse({
      summary: "Shout every name",
      files: Object.entries(CHANGED).map(([p, content]) => ({ path: p, new_content: content })),
    }),
  );
}

/**
 * Runs the write in a child process (tsx) that pauses after the second file is in place, waits
 * for its marker file, and SIGKILLs it there: the crash between writing files and recording.
 */
async function crashMidway(operation: "apply" | "rollback", changesetId: string, files: TChangesetFileProposal[]): Promise<void> {
  const run = `${operation}-${crypto.randomUUID().slice(0, 8)}`;
  const marker = path.join(root, `${run}-paused`);
  const job = path.join(root, `${run}-job.json`);
  await fs.writeFile(job, JSON.stringify({ operation, workspaceDir: workspace, changesetId, files, pauseAfter: 1, marker }));
  const child = spawn(process.execPath, ["--import", "tsx", CHILD_SCRIPT, job], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(
    `the ${operation} to pause after its second file`,
    async () => {
      if (child.exitCode !== null) throw new Error(`the child exited with ${child.exitCode}: ${stderr}`);
      return fs.stat(marker).then(
        () => true,
        () => false,
      );
    },
    60_000,
  );
  child.kill("SIGKILL");
  // Reaped: recovery sees a dead owner, as after a real crash.
  await exited;
}

const recorded =
  (answer: boolean, asked: string[] = []): TIsRecorded =>
  async (id, operation) => {
    asked.push(`${operation}:${id}`);
    return answer;
  };

describe("recoverChangesetJournals", () => {
  it("after a SIGKILL between writing files and recording the apply, rolls back to every original byte when the database did not record it", async () => {
    const id = crypto.randomUUID();
    await crashMidway("apply", id, await propose());
    const crashed = await snapshot();
    // Half applied: the first two files are new, the rest are not.
    expect(crashed).toMatchObject({ "a.txt": "ALPHA\n", "b.txt": "BRAVO\r\n", "c.txt": "charlie\n", "d.txt": "delta\n" });
    expect(await readJournal(workspace, id)).not.toBeNull();

    const asked: string[] = [];
    const results = await recoverChangesetJournals(workspace, recorded(false, asked));
    expect(asked).toEqual([`apply:${id}`]);
    expect(results).toEqual([{ changesetId: id, outcome: "undone", operation: "apply" }]);
    expect(await snapshot()).toEqual(ORIGINAL);
    expect(await readJournal(workspace, id)).toBeNull();
    // No temporary file of the killed write is left anywhere.
    expect((await fs.readdir(workspace)).filter((name) => name.endsWith(".mc-tmp"))).toEqual([]);
  });

  it("after a SIGKILL between writing files and recording the apply, rolls forward to every new byte when the database recorded it", async () => {
    const id = crypto.randomUUID();
    await crashMidway("apply", id, await propose());
    const results = await recoverChangesetJournals(workspace, recorded(true));
    expect(results).toEqual([{ changesetId: id, outcome: "completed", operation: "apply" }]);
    expect(await snapshot()).toEqual(withoutNulls(CHANGED));
    expect(await readJournal(workspace, id)).toBeNull();
    // Recovery is idempotent: nothing is left to do.
    expect(await recoverChangesetJournals(workspace, recorded(false))).toEqual([]);
    expect(await snapshot()).toEqual(withoutNulls(CHANGED));
  });

  it("after a SIGKILL halfway through a rollback, leaves the applied files when the database did not record the rollback, and the originals when it did", async () => {
    const files = await propose();
    const id = crypto.randomUUID();
    await applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files });
    await commitChangesetJournal(workspace, id);

    await crashMidway("rollback", id, files);
    expect(await snapshot()).toMatchObject({ "a.txt": "alpha\n", "b.txt": "bravo\r\nno newline", "d.txt": "DELTA\n" });
    const asked: string[] = [];
    expect(await recoverChangesetJournals(workspace, recorded(false, asked))).toEqual([
      { changesetId: id, outcome: "undone", operation: "rollback" },
    ]);
    expect(asked).toEqual([`rollback:${id}`]);
    expect(await snapshot()).toEqual(withoutNulls(CHANGED));

    await crashMidway("rollback", id, files);
    expect(await recoverChangesetJournals(workspace, recorded(true))).toEqual([
      { changesetId: id, outcome: "completed", operation: "rollback" },
    ]);
    expect(await snapshot()).toEqual(ORIGINAL);
  });

  it("leaves alone a journal this process still stands behind, and keeps a journal it cannot settle", async () => {
    const id = crypto.randomUUID();
    await applyChangesetFiles({ workspaceDir: workspace, changesetId: id, files: await propose() });
    expect(await recoverChangesetJournals(workspace, recorded(false))).toEqual([
      { changesetId: id, outcome: "skipped", reason: "this executor is still applying it or recording its outcome" },
    ]);
    expect(await snapshot()).toEqual(withoutNulls(CHANGED));

    // The same journal written by a process that is gone: the database cannot be asked now.
    const journalFile = path.join(workspace, ".mission-control", "journal", `${id}.json`);
    const orphan = crypto.randomUUID();
    const journal = JSON.parse(await fs.readFile(journalFile, "utf8")) as { changeset_id: string; owner: { pid: number } };
    await fs.writeFile(
      path.join(workspace, ".mission-control", "journal", `${orphan}.json`),
      JSON.stringify({ ...journal, changeset_id: orphan, owner: { ...journal.owner, pid: 2 ** 22 + 1 } }),
    );
    const unreachable: TIsRecorded = async () => {
      throw new Error("database unreachable");
    };
    const results = await recoverChangesetJournals(workspace, unreachable);
    expect(results).toContainEqual({ changesetId: orphan, outcome: "failed", error: "database unreachable" });
    expect(await readJournal(workspace, orphan)).not.toBeNull();
    expect(await recoverChangesetJournals(workspace, recorded(false))).toContainEqual({
      changesetId: orphan,
      outcome: "undone",
      operation: "apply",
    });
    expect(await snapshot()).toEqual(ORIGINAL);
  });

  it("finds nothing to do in a workspace that does not exist", async () => {
    expect(await recoverChangesetJournals(path.join(root, "nowhere"), recorded(false))).toEqual([]);
  });
});
