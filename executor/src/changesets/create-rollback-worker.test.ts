import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type TChangeset, ZChangeset } from "@mission-control/shared/rows";
import { sqlPool } from "@mission-control/supabase/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimProposals } from "../approvals/claim-proposals.ts";
import { executeProposal } from "../approvals/execute-proposal.ts";
import { createTestProject, holdExecutorLock, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import type { TTableWakeups } from "../worker/subscribe-table-wakeups.ts";
import { readJournal } from "./changeset-journal.ts";
import { createRollbackWorker, type TRollbackWorker } from "./create-rollback-worker.ts";
import { subscribeRollbackWakeups } from "./subscribe-rollback-wakeups.ts";
import { proposeTestChangeset } from "./testing/propose-test-changeset.ts";

let project: TTestProject;
let sql: pg.Pool;
let root: string;
let workspace: string;
let worker: TRollbackWorker;
let wakeups: TTableWakeups;
let releaseLock: () => Promise<void>;
const executorId = `test-rollback-${crypto.randomUUID().slice(0, 8)}`;
const log = pino({ level: "silent" });

/** What the workspace holds before any changeset: BOM, CRLF, non-ASCII and no final newline survive a rollback. */
const ORIGINAL = {
  "src/app.ts": '\uFEFFexport const greeting = "héllo";\r\nexport const version = 1;',
  "NOTES.md": "old notes\r\n",
  "keep.txt": "untouched\n",
};

beforeAll(async () => {
  // Rollback claims are global: no other test file's executor may take these rollbacks.
  releaseLock = await holdExecutorLock();
  sql = sqlPool();
  project = await createTestProject("rollback-worker", [{ agent_key: "builder", display_name: "Builder" }]);
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-rollback-worker-"));
  await fs.mkdir(path.join(root, "workspace", "src"), { recursive: true });
  workspace = await fs.realpath(path.join(root, "workspace"));
  for (const [p, content] of Object.entries(ORIGINAL)) await fs.writeFile(path.join(workspace, p), content);
  // Polling is slow on purpose: a rollback requested here is picked up by the realtime wake-up.
  worker = createRollbackWorker({ db: project.db, executorId, workspaceDir: workspace, pollIntervalMs: 60_000, log });
  worker.start();
  wakeups = subscribeRollbackWakeups(project.db, { wake: () => worker.wake(), log, channelName: `test-rollbacks-${executorId}` });
  if (!(await wakeups.ready)) throw new Error("rollback wake-ups did not subscribe");
});

afterAll(async () => {
  await wakeups?.close();
  await worker?.stop({ timeoutMs: 5_000 });
  await project?.remove();
  await sql?.end();
  await fs.rm(root, { recursive: true, force: true });
  await releaseLock?.();
});

const read = (p: string) => fs.readFile(path.join(workspace, p)).catch(() => null);

/** Proposes, approves (only `paths` when given) and applies a changeset as the approval worker would. */
async function applied(files: { path: string; new_content: string | null }[], paths?: string[]): Promise<string> {
  const { changesetId, proposalId } = await proposeTestChangeset(sql, {
    projectId: project.projectId,
    workspaceDir: workspace,
    changeset: { files },
  });
  const approved = await project.operator.client.rpc("resolve_action_proposal", {
    p_proposal_id: proposalId,
    p_decision: "approve",
    ...(paths ? { p_params: { changeset_id: changesetId, paths } } : {}),
  });
  if (approved.error) throw new Error(approved.error.message);
  const [claimed] = await claimProposals(project.db, { executorId, limit: 1, proposalId });
  if (!claimed) throw new Error("the approved proposal was not claimed");
  const outcome = await executeProposal(
    { db: project.db, executorId, workspaceDir: workspace, apiCall: { defaultTimeoutMs: 1000, maxBodyChars: 100 }, log },
    claimed,
    new AbortController().signal,
  );
  if (outcome !== "executed") throw new Error(`the apply ended ${outcome}`);
  return changesetId;
}

async function readChangeset(changesetId: string): Promise<TChangeset> {
  const { data, error } = await project.db.from("changesets").select("*").eq("id", changesetId).single();
  if (error) throw new Error(error.message);
  return ZChangeset.parse(data);
}

async function requestRollback(changesetId: string): Promise<void> {
  const { error } = await project.operator.client.rpc("request_changeset_rollback", { p_changeset_id: changesetId });
  if (error) throw new Error(error.message);
}

const waitForChangeset = (changesetId: string, check: (row: TChangeset) => boolean) =>
  waitFor(`changeset ${changesetId} to settle`, async () => {
    const row = await readChangeset(changesetId);
    return check(row) ? row : undefined;
  });

describe("rollback worker", () => {
  it("restores every applied file's previous bytes when an operator asks, woken by realtime, and records it", async () => {
    const changesetId = await applied([
      { path: "src/app.ts", new_content: "export const version = 2;\n" },
      { path: "NOTES.md", new_content: null },
      { path: "docs/ADDED.md", new_content: "# Added\n" },
    ]);
    expect(await read("NOTES.md")).toBeNull();
    await requestRollback(changesetId);
    const done = await waitForChangeset(changesetId, (row) => row.status !== "applied" || row.error !== null);
    expect(done).toMatchObject({ status: "rolled_back", error: null });
    expect(done.rolled_back_at).not.toBeNull();
    await worker.idle();
    for (const [p, content] of Object.entries(ORIGINAL)) expect(await read(p)).toEqual(Buffer.from(content, "utf8"));
    expect(await read("docs/ADDED.md")).toBeNull();
    expect(await readJournal(workspace, changesetId)).toBeNull();
    const { rows } = await sql.query<{ summary: string }>(
      "select summary from public.ai_run_events where data ->> 'changeset_id' = $1 and data ->> 'to' = 'rolled_back'",
      [changesetId],
    );
    expect(rows).toEqual([{ summary: "Rolled back 3 files" }]);
  });

  it("rolls back only the files a partial approval applied", async () => {
    const changesetId = await applied(
      [
        { path: "src/app.ts", new_content: "export const version = 3;\n" },
        { path: "keep.txt", new_content: "rejected change\n" },
      ],
      ["src/app.ts"],
    );
    expect((await read("keep.txt"))?.toString()).toBe(ORIGINAL["keep.txt"]);
    // Edited after the apply: a rollback that touched it would be refused.
    await fs.writeFile(path.join(workspace, "keep.txt"), "edited after the apply\n");
    await requestRollback(changesetId);
    expect(await waitForChangeset(changesetId, (row) => row.status !== "applied" || row.error !== null)).toMatchObject({
      status: "rolled_back",
    });
    expect((await read("src/app.ts"))?.toString()).toBe(ORIGINAL["src/app.ts"]);
    expect((await read("keep.txt"))?.toString()).toBe("edited after the apply\n");
    await fs.writeFile(path.join(workspace, "keep.txt"), ORIGINAL["keep.txt"]);
  });

  it("refuses to roll back when a file changed since the apply, writing nothing and saying why", async () => {
    const changesetId = await applied([
      { path: "src/app.ts", new_content: "export const version = 4;\n" },
      { path: "NOTES.md", new_content: "new notes\n" },
    ]);
    await fs.writeFile(path.join(workspace, "NOTES.md"), "edited by hand\n");
    await requestRollback(changesetId);
    const refused = await waitForChangeset(changesetId, (row) => row.error !== null);
    expect(refused).toMatchObject({ status: "applied", rollback_requested_at: null });
    expect(refused.error).toContain("file changed since the apply: NOTES.md");
    await worker.idle();
    expect((await read("src/app.ts"))?.toString()).toBe("export const version = 4;\n");
    expect((await read("NOTES.md"))?.toString()).toBe("edited by hand\n");
    expect(await readJournal(workspace, changesetId)).toBeNull();
  });
});
