import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ZChangeset, ZChangesetFile } from "@mission-control/shared/rows";
import { sqlPool } from "@mission-control/supabase/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimProposals } from "../approvals/claim-proposals.ts";
import { executeProposal } from "../approvals/execute-proposal.ts";
import { readJournal } from "../changesets/changeset-journal.ts";
import { recoverChangesetsAtStart } from "../changesets/recover-changesets-at-start.ts";
import { proposeTestChangeset } from "../changesets/testing/propose-test-changeset.ts";
import { readProposal } from "../testing/proposal-fixtures.ts";
import { createTestProject, holdExecutorLock, type TTestProject } from "../testing/stack-fixtures.ts";
import type { TActionContext } from "./action-types.ts";
import { applyChangeset } from "./apply-changeset.ts";

let project: TTestProject;
let sql: pg.Pool;
let root: string;
let workspace: string;
let releaseLock: () => Promise<void>;
const executorId = `test-apply-${crypto.randomUUID().slice(0, 8)}`;
const log = pino({ level: "silent" });

beforeAll(async () => {
  // Approval claims are global: no other test file's executor may take these proposals.
  releaseLock = await holdExecutorLock();
  sql = sqlPool();
  project = await createTestProject("apply-changeset", [{ agent_key: "builder", display_name: "Builder" }]);
  root = await fs.mkdtemp(path.join(os.tmpdir(), "mc-apply-changeset-action-"));
});

afterAll(async () => {
  await project?.remove();
  await sql?.end();
  await fs.rm(root, { recursive: true, force: true });
  await releaseLock?.();
});

beforeEach(async () => {
  workspace = await fs.mkdtemp(path.join(root, "ws-"));
  await fs.mkdir(path.join(workspace, "src"));
  await fs.writeFile(path.join(workspace, "src/app.ts"), "export const version = 1;\n");
  await fs.writeFile(path.join(workspace, "NOTES.md"), "old notes\r\n");
});

const read = (p: string) => fs.readFile(path.join(workspace, p), "utf8").catch(() => null);

/** The three-file changeset every test starts from. */
const propose = () =>
  proposeTestChangeset(sql, {
    projectId: project.projectId,
    workspaceDir: workspace,
    changeset: {
      summary: "Version 2",
      files: [
        { path: "src/app.ts", new_content: "export const version = 2;\n", rationale: "bump" },
        { path: "CHANGELOG.md", new_content: "# Changelog\n\n- Version 2\n", rationale: "tell users" },
        { path: "NOTES.md", new_content: null, rationale: "obsolete" },
      ],
    },
  });

/** Approves as the operator (narrowed to `paths` for a partial approval), claims and executes as the approval worker does. */
async function approveAndExecute(proposalId: string, changesetId: string, paths?: string[]) {
  const approved = await project.operator.client.rpc("resolve_action_proposal", {
    p_proposal_id: proposalId,
    p_decision: "approve",
    ...(paths ? { p_params: { changeset_id: changesetId, paths } } : {}),
  });
  if (approved.error) throw new Error(approved.error.message);
  const [claimed] = await claimProposals(project.db, { executorId, limit: 1, proposalId });
  if (!claimed) throw new Error("the approved proposal was not claimed");
  return executeProposal(
    { db: project.db, executorId, workspaceDir: workspace, apiCall: { defaultTimeoutMs: 1000, maxBodyChars: 100 }, log },
    claimed,
    new AbortController().signal,
  );
}

async function readChangeset(changesetId: string) {
  const { data, error } = await project.db.from("changesets").select("*").eq("id", changesetId).single();
  if (error) throw new Error(error.message);
  return ZChangeset.parse(data);
}

async function readDecisions(changesetId: string) {
  const { data, error } = await project.db.from("changeset_files").select("*").eq("changeset_id", changesetId).order("position");
  if (error) throw new Error(error.message);
  return Object.fromEntries(
    ZChangesetFile.array()
      .parse(data)
      .map((f) => [f.path, f.decision]),
  );
}

describe("apply_changeset", () => {
  it("applies every file of an approved changeset, the database marks it applied, and the journal goes once that is recorded", async () => {
    const { changesetId, proposalId } = await propose();
    expect(await approveAndExecute(proposalId, changesetId)).toBe("executed");
    expect(await read("src/app.ts")).toBe("export const version = 2;\n");
    expect(await read("CHANGELOG.md")).toBe("# Changelog\n\n- Version 2\n");
    expect(await read("NOTES.md")).toBeNull();

    const proposal = await readProposal(project.db, proposalId);
    expect(proposal).toMatchObject({ status: "executed", error: null });
    expect(proposal.execution_result).toEqual({
      changeset_id: changesetId,
      paths: ["src/app.ts", "CHANGELOG.md", "NOTES.md"],
      files: [
        { path: "src/app.ts", change_kind: "modify", additions: 1, deletions: 1 },
        { path: "CHANGELOG.md", change_kind: "add", additions: 3, deletions: 0 },
        { path: "NOTES.md", change_kind: "delete", additions: 0, deletions: 1 },
      ],
    });
    expect(await readChangeset(changesetId)).toMatchObject({
      status: "applied",
      applied_paths: ["src/app.ts", "CHANGELOG.md", "NOTES.md"],
    });
    expect(await readJournal(await fs.realpath(workspace), changesetId)).toBeNull();
  });

  it("applies only the files a partial approval kept, and records the decisions", async () => {
    const { changesetId, proposalId } = await propose();
    expect(await approveAndExecute(proposalId, changesetId, ["src/app.ts", "NOTES.md"])).toBe("executed");
    expect(await read("src/app.ts")).toBe("export const version = 2;\n");
    expect(await read("NOTES.md")).toBeNull();
    expect(await read("CHANGELOG.md")).toBeNull();
    expect(await readChangeset(changesetId)).toMatchObject({ status: "applied", applied_paths: ["src/app.ts", "NOTES.md"] });
    expect(await readDecisions(changesetId)).toEqual({ "src/app.ts": "accepted", "CHANGELOG.md": "rejected", "NOTES.md": "accepted" });
  });

  it("fails the proposal when a file changed since the proposal, writing nothing, and the changeset fails with the reason", async () => {
    const { changesetId, proposalId } = await propose();
    await fs.writeFile(path.join(workspace, "NOTES.md"), "edited meanwhile\n");
    expect(await approveAndExecute(proposalId, changesetId)).toBe("failed");
    const proposal = await readProposal(project.db, proposalId);
    expect(proposal.status).toBe("failed");
    expect(proposal.error).toContain("file changed since the proposal: NOTES.md");
    expect(proposal.execution_result).toEqual({ changeset_id: changesetId, changed: ["NOTES.md"] });
    expect(await read("src/app.ts")).toBe("export const version = 1;\n");
    expect(await read("CHANGELOG.md")).toBeNull();
    expect(await readChangeset(changesetId)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("file changed since the proposal"),
    });
  });

  it("refuses a changeset that is no longer proposed, and undoes an apply whose record was refused", async () => {
    const { changesetId, proposalId } = await propose();
    expect(await approveAndExecute(proposalId, changesetId)).toBe("executed");
    const ctx = (): TActionContext => ({
      db: project.db,
      proposal: { id: proposalId, project_id: project.projectId } as TActionContext["proposal"],
      workspaceDir: workspace,
      apiCall: { defaultTimeoutMs: 1000, maxBodyChars: 100 },
      signal: new AbortController().signal,
      log,
    });
    expect(await applyChangeset(ctx(), { changeset_id: changesetId, paths: ["src/app.ts"] })).toEqual({
      ok: false,
      error: `Changeset ${changesetId} is applied, not proposed: nothing was applied. Only a proposed changeset can be applied.`,
    });

    // A second changeset applied by the action, whose record the database then refuses (the watchdog failed the proposal meanwhile).
    const second = await proposeTestChangeset(sql, {
      projectId: project.projectId,
      workspaceDir: workspace,
      changeset: { files: [{ path: "src/app.ts", new_content: "export const version = 3;\n" }] },
    });
    const outcome = await applyChangeset(ctx(), { changeset_id: second.changesetId, paths: ["src/app.ts"] });
    if (!outcome.ok) throw new Error(outcome.error);
    expect(await read("src/app.ts")).toBe("export const version = 3;\n");
    await outcome.afterRecorded?.("claim_lost");
    expect(await read("src/app.ts")).toBe("export const version = 2;\n");
    expect(await readJournal(await fs.realpath(workspace), second.changesetId)).toBeNull();
  });

  it("at start-up, undoes an apply the database never recorded", async () => {
    const { changesetId } = await propose();
    const ctx: TActionContext = {
      db: project.db,
      proposal: { id: crypto.randomUUID(), project_id: project.projectId } as TActionContext["proposal"],
      workspaceDir: workspace,
      apiCall: { defaultTimeoutMs: 1000, maxBodyChars: 100 },
      signal: new AbortController().signal,
      log,
    };
    const outcome = await applyChangeset(ctx, { changeset_id: changesetId, paths: ["src/app.ts", "CHANGELOG.md", "NOTES.md"] });
    if (!outcome.ok) throw new Error(outcome.error);
    // The executor died before recording: the journal is nobody's any more.
    await outcome.afterRecorded?.("unknown");
    expect(await readJournal(await fs.realpath(workspace), changesetId)).not.toBeNull();
    await recoverChangesetsAtStart({ db: project.db, workspaceDir: workspace, log });
    expect(await read("src/app.ts")).toBe("export const version = 1;\n");
    expect(await read("NOTES.md")).toBe("old notes\r\n");
    expect(await read("CHANGELOG.md")).toBeNull();
    expect(await readJournal(await fs.realpath(workspace), changesetId)).toBeNull();
  });
});
