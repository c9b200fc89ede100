import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TActionProposalParams } from "@mission-control/shared/schemas";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TProposalRow } from "../actions/action-types.ts";
import { deriveActionId } from "../actions/derive-action-id.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { insertProposal, resolveProposal, waitForProposal } from "../testing/proposal-fixtures.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject } from "../testing/stack-fixtures.ts";
import { startRecordingServer, type TRecordingServer } from "../testing/start-recording-server.ts";
import { readActionIntent, recordActionIntent } from "./action-intent.ts";

// Proposals are put in the state a crash leaves them in (claimed by an executor that then
// stopped, with or without its effect, with or without the intent it records first) before any
// executor runs; then two executors start side by side and reconcile them.

let project: TTestProject;
let workspace: string;
let server: TRecordingServer;
let releaseLock: () => Promise<void>;
const executors: TExecutor[] = [];
const dead = `dead-${crypto.randomUUID().slice(0, 8)}`;
const log = pino({ level: "silent" });

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("reconcile", [{ agent_key: "builder", display_name: "Builder" }]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-reconcile-"));
  server = await startRecordingServer({ status: 200, body: "ok" });
  const allow = await project.db
    .from("project_settings")
    .insert({ project_id: project.projectId, key: "api_allowlist", value: { hosts: ["127.0.0.1"] } });
  if (allow.error) throw new Error(allow.error.message);
  // The crashed executor: its presence row says it stopped, so the watchdog does not wait for the stuck timer.
  const presence = await project.db.from("executor_presence").insert({ id: dead, version: "test", stopped_at: new Date().toISOString() });
  if (presence.error) throw new Error(presence.error.message);
});

afterAll(async () => {
  for (const executor of executors) await executor.stop();
  await project.db.from("executor_presence").delete().eq("id", dead);
  await server?.close();
  await project?.remove();
  await fs.rm(workspace, { recursive: true, force: true });
  await releaseLock?.();
});

/** A proposal approved and claimed by the executor that is about to "die". */
async function claimedByDead(action: TActionProposalParams): Promise<TProposalRow> {
  const proposal = await insertProposal(project.db, project.projectId, action);
  await resolveProposal(project.operator, proposal.id, "approve");
  const { data, error } = await project.db.rpc("claim_approved_proposals", { p_executor_id: dead, p_limit: 1, p_proposal_id: proposal.id });
  if (error || data?.length !== 1) throw new Error(`could not claim ${proposal.id} as ${dead}: ${error?.message}`);
  return data[0] as TProposalRow;
}

/** Records the intent as the dead executor did just before its effect. */
async function recordIntent(proposal: TProposalRow) {
  const intent = await readActionIntent(project.db, proposal, workspace);
  expect(await recordActionIntent(project.db, { proposalId: proposal.id, executorId: dead, intent, retry: false })).toBe(true);
}

async function saveDoc(docType: string, content: string) {
  const { error } = await project.db.rpc("save_brain_doc_as_agent", {
    p_project_id: project.projectId,
    p_doc_type: docType,
    p_content: content,
    p_author_agent_key: "builder",
  });
  if (error) throw new Error(error.message);
}

async function count(table: "tasks" | "cron_mirror" | "project_chat_messages", id: string) {
  const { count: n, error } = await project.db.from(table).select("id", { count: "exact", head: true }).eq("id", id);
  if (error) throw new Error(error.message);
  return n;
}

async function docVersions(docType: string) {
  const { data, error } = await project.db
    .from("brain_docs")
    .select("version, content, versions:brain_doc_versions(version, content)")
    .eq("project_id", project.projectId)
    .eq("doc_type", docType)
    .is("agent_key", null)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

describe("reconciling approvals left by a crashed executor", () => {
  it("records what happened, runs once what did not, and leaves only what changed since or cannot be checked unknown", async () => {
    const task = (title: string) => ({ action_type: "create_task" as const, params: { title } });
    const job = (name: string) => ({
      action_type: "schedule_job" as const,
      params: { name, schedule_kind: "cron" as const, schedule_expr: "0 2 * * *" },
    });
    const message = (content: string) => ({ action_type: "send_message" as const, params: { thread_key: "team-room", content } });
    const write = (file: string, content: string) => ({ action_type: "file_write" as const, params: { path: file, content } });
    const doc = (docType: string, content: string) => ({ action_type: "edit_doc" as const, params: { doc_type: docType, content } });

    // create_task / schedule_job / send_message: the row with the derived id exists, or not.
    const taskDone = await claimedByDead(task("Happened"));
    const created = await project.db
      .from("tasks")
      .insert({ id: deriveActionId(taskDone.id, "create_task"), project_id: project.projectId, title: "Happened" });
    if (created.error) throw new Error(created.error.message);
    const taskNot = await claimedByDead(task("Did not happen"));
    const jobDone = await claimedByDead(job("happened job"));
    const scheduled = await project.db.from("cron_mirror").insert({
      id: deriveActionId(jobDone.id, "schedule_job"),
      project_id: project.projectId,
      name: "happened job",
      schedule_kind: "cron",
      schedule_expr: "0 2 * * *",
    });
    if (scheduled.error) throw new Error(scheduled.error.message);
    const jobNot = await claimedByDead(job("missing job"));
    const messageNot = await claimedByDead(message("never posted"));
    const messageDone = await claimedByDead(message("posted before the crash"));
    const { data: room, error: roomError } = await project.db
      .from("project_chat_threads")
      .upsert(
        { project_id: project.projectId, kind: "team_room", thread_key: "team-room", title: "Team Room" },
        { onConflict: "project_id,thread_key" },
      )
      .select("id")
      .single();
    if (roomError) throw new Error(roomError.message);
    const posted = await project.db.from("project_chat_messages").insert({
      id: deriveActionId(messageDone.id, "send_message"),
      project_id: project.projectId,
      thread_id: room.id,
      author_type: "agent",
      author_agent_key: "builder",
      content: "posted before the crash",
      metadata: { proposal_id: messageDone.id },
    });
    if (posted.error) throw new Error(posted.error.message);

    // file_write: after-hash, before-hash, missing (a create), changed since, and no intent at all.
    await fs.writeFile(path.join(workspace, "done.md"), "before\n");
    const writeDone = await claimedByDead(write("done.md", "after\n"));
    await recordIntent(writeDone);
    await fs.writeFile(path.join(workspace, "done.md"), "after\n");
    await fs.writeFile(path.join(workspace, "not.md"), "before\n");
    const writeNot = await claimedByDead(write("not.md", "after\n"));
    await recordIntent(writeNot);
    const writeCreate = await claimedByDead(write("new.md", "created\n"));
    await recordIntent(writeCreate);
    await fs.writeFile(path.join(workspace, "changed.md"), "before\n");
    const writeChanged = await claimedByDead(write("changed.md", "after\n"));
    await recordIntent(writeChanged);
    await fs.writeFile(path.join(workspace, "changed.md"), "someone else\n");
    const writeNoIntent = await claimedByDead(write("no-intent.md", "after\n"));

    // edit_doc: intended version present, still at the base version, changed since.
    await saveDoc("done_doc", "v1");
    const docDone = await claimedByDead(doc("done_doc", "v2"));
    await recordIntent(docDone);
    await saveDoc("done_doc", "v2");
    await saveDoc("not_doc", "v1");
    const docNot = await claimedByDead(doc("not_doc", "v2"));
    await recordIntent(docNot);
    const docCreate = await claimedByDead(doc("new_doc", "v1"));
    await recordIntent(docCreate);
    await saveDoc("changed_doc", "v1");
    const docChanged = await claimedByDead(doc("changed_doc", "v2"));
    await recordIntent(docChanged);
    await saveDoc("changed_doc", "someone else's v2");

    // api_call cannot be checked.
    const call = await claimedByDead({ action_type: "api_call", params: { method: "POST", url: `${server.url}/deploy` } });

    // A second crash during the one retry: it did not happen, and it is not run a third time.
    const retried = await claimedByDead(task("Retried once already"));
    const checkpoint = await project.db.from("action_proposal_checkpoints").insert({
      proposal_id: retried.id,
      project_id: project.projectId,
      reconciled_by: dead,
      reconcile_claimed_at: new Date().toISOString(),
      reconcile_count: 1,
      retried_at: new Date().toISOString(),
    });
    if (checkpoint.error) throw new Error(checkpoint.error.message);

    for (let i = 0; i < 2; i++) {
      executors.push(await startTestExecutor({ APPROVAL_PROJECT_IDS: project.projectId, WORKSPACE_DIR: workspace }, { log }));
    }
    const all = [
      taskDone,
      taskNot,
      jobDone,
      jobNot,
      messageNot,
      messageDone,
      writeDone,
      writeNot,
      writeCreate,
      writeChanged,
      writeNoIntent,
      docDone,
      docNot,
      docCreate,
      docChanged,
      call,
      retried,
    ];
    const done = new Map<string, TProposalRow>();
    for (const p of all) done.set(p.id, await waitForProposal(project.db, p.id, ["executed", "failed"], 20_000));
    const outcome = (p: TProposalRow) => done.get(p.id) as TProposalRow;

    for (const p of [taskDone, jobDone, messageDone, writeDone, docDone]) {
      expect(outcome(p)).toMatchObject({ status: "executed", claimed_by: dead, error: null });
      expect((outcome(p).execution_result as { reconciled: string }).reconciled).toMatch(/^It had happened before executor /);
    }
    for (const p of [taskNot, jobNot, messageNot, writeNot, writeCreate, writeNoIntent, docNot, docCreate]) {
      expect(outcome(p)).toMatchObject({ status: "executed", claimed_by: dead, error: null });
      expect((outcome(p).execution_result as { reconciled: string }).reconciled).toMatch(/so it ran again once: executed\.$/);
    }
    expect(outcome(writeChanged)).toMatchObject({ status: "failed" });
    expect(outcome(writeChanged).error).toMatch(/^outcome unknown: changed\.md changed since/);
    expect(outcome(docChanged).error).toMatch(/^outcome unknown: doc "changed_doc" changed since/);
    expect(outcome(call)).toMatchObject({ status: "failed", error: "outcome unknown: check before retrying" });
    expect(outcome(retried).error).toMatch(/^did not happen: .* already retried once/);

    // Exactly once each, with two executors reconciling side by side.
    for (const [p, table, purpose] of [
      [taskDone, "tasks", "create_task"],
      [taskNot, "tasks", "create_task"],
      [jobDone, "cron_mirror", "schedule_job"],
      [jobNot, "cron_mirror", "schedule_job"],
      [messageNot, "project_chat_messages", "send_message"],
      [messageDone, "project_chat_messages", "send_message"],
    ] as const) {
      expect(await count(table, deriveActionId(p.id, purpose))).toBe(1);
    }
    expect(await count("tasks", deriveActionId(retried.id, "create_task"))).toBe(0);
    for (const file of ["done.md", "not.md"]) expect(await fs.readFile(path.join(workspace, file), "utf8")).toBe("after\n");
    expect(await fs.readFile(path.join(workspace, "new.md"), "utf8")).toBe("created\n");
    expect(await fs.readFile(path.join(workspace, "changed.md"), "utf8")).toBe("someone else\n");
    for (const docType of ["done_doc", "not_doc"]) {
      const saved = await docVersions(docType);
      expect(saved?.content).toBe("v2");
      expect(saved?.versions.map((v) => v.version).sort()).toEqual([1, 2]);
    }
    expect((await docVersions("changed_doc"))?.versions).toHaveLength(2);
    expect((await docVersions("new_doc"))?.versions).toEqual([{ version: 1, content: "v1" }]);
    expect(server.requests).toHaveLength(0);
    // The rollback still has what it needs after a reconciled write.
    expect(outcome(writeDone).execution_result).toMatchObject({ previous_existed: true, previous_content: "before\n" });

    // Every decision is an activity with its sentence.
    const { data: activities, error } = await project.db
      .from("activities")
      .select("summary, ref")
      .eq("project_id", project.projectId)
      .eq("kind", "approval.reconciled");
    if (error) throw new Error(error.message);
    const reconciled = all.filter((p) => p !== call);
    expect(activities?.map((a) => (a.ref as { proposal_id: string }).proposal_id).sort()).toEqual(reconciled.map((p) => p.id).sort());
    for (const a of activities ?? []) expect(a.summary).toMatch(/^Reconciled \w+ after a crash: /);
  });
});
