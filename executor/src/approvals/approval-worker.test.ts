import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sqlPool } from "@mission-control/supabase/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { insertProposal, insertTask, readProposal, resolveProposal, waitForProposal } from "../testing/proposal-fixtures.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { startRecordingServer, type TRecordingServer } from "../testing/start-recording-server.ts";

let project: TTestProject;
let executor: TExecutor;
let server: TRecordingServer;
let workspace: string;
let sql: pg.Pool;
let releaseLock: () => Promise<void>;

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  sql = sqlPool();
  project = await createTestProject("approvals", [{ agent_key: "builder", display_name: "Builder" }]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-approvals-"));
  server = await startRecordingServer({ status: 200, body: "ok" });
  const allow = await project.db
    .from("project_settings")
    .insert({ project_id: project.projectId, key: "api_allowlist", value: { hosts: ["127.0.0.1"] } });
  if (allow.error) throw new Error(allow.error.message);
  executor = await startTestExecutor({ APPROVAL_PROJECT_IDS: project.projectId, WORKSPACE_DIR: workspace });
});

afterAll(async () => {
  await executor?.stop();
  await server?.close();
  await project?.remove();
  await sql?.end();
  await fs.rm(workspace, { recursive: true, force: true });
  await releaseLock?.();
});

const requestsTo = (p: string) => server.requests.filter((r) => r.path === p).length;
const apiCall = (p: string) => ({ action_type: "api_call" as const, params: { method: "POST" as const, url: `${server.url}${p}` } });

/** The system messages that told the proposing agent about a proposal's outcome, with their deliveries. */
async function noticesFor(proposalId: string) {
  const { data, error } = await project.db
    .from("project_chat_messages")
    .select(
      "content, message_type, metadata, target_agent_keys, thread:project_chat_threads!thread_id(thread_key), deliveries:chat_delivery_queue(agent_key)",
    )
    .eq("project_id", project.projectId)
    .eq("metadata->>proposal_id", proposalId)
    .eq("message_type", "system");
  if (error) throw new Error(error.message);
  return data;
}

describe("approval executor", () => {
  it("runs an approved file_write once (woken by realtime), keeps the previous content and wakes the agent in the task thread", async () => {
    await fs.writeFile(path.join(workspace, "plan.md"), "old plan\n");
    const taskId = await insertTask(project.db, project.projectId, "Plan the launch");
    const proposal = await insertProposal(
      project.db,
      project.projectId,
      { action_type: "file_write", params: { path: "plan.md", content: "new plan\n" } },
      { taskId },
    );
    const started = performance.now();
    await resolveProposal(project.operator, proposal.id, "approve");
    const done = await waitForProposal(project.db, proposal.id, ["executed", "failed"], 5_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(done).toMatchObject({
      status: "executed",
      claimed_by: executor.executorId,
      error: null,
      execution_result: expect.objectContaining({ path: "plan.md", previous_existed: true, previous_content: "old plan\n" }),
    });
    expect(await fs.readFile(path.join(workspace, "plan.md"), "utf8")).toBe("new plan\n");

    const { data: events } = await project.db
      .from("task_events")
      .select("kind, metadata")
      .eq("proposal_id", proposal.id)
      .eq("kind", "approval_resolved");
    expect(events?.map((e) => (e.metadata as { status: string }).status)).toEqual(["approved", "executed"]);
    const notices = await waitFor("the outcome notice", async () => {
      const found = await noticesFor(proposal.id);
      return found.length > 0 ? found : undefined;
    });
    expect(notices).toEqual([
      expect.objectContaining({
        content: expect.stringMatching(new RegExp(`^Proposal ${proposal.id} \\(file_write\\) was approved and executed\\.`)),
        target_agent_keys: ["builder"],
        thread: { thread_key: `task:${taskId}` },
        deliveries: [{ agent_key: "builder" }],
      }),
    ]);
  });

  it("runs the action once when an approval is clicked many times and the Control API is asked many times", async () => {
    const proposal = await insertProposal(project.db, project.projectId, apiCall("/double-click"));
    const execute = (token: string) =>
      fetch(`${executor.controlApiUrl}/api/approvals/${proposal.id}/execute`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
    const clicks = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? project.operator : project.owner).client.rpc("resolve_action_proposal", {
          p_proposal_id: proposal.id,
          p_decision: "approve",
        }),
      ),
    ]);
    // Two members approving at once: the first wins, a repeated approval is a no-op; none may error with anything else.
    for (const click of clicks) if (click.error) expect(click.error.code).toBe("PT409");
    const answers = await Promise.all(Array.from({ length: 8 }, () => execute(project.operator.token)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const claimedByApi = (await Promise.all(answers.map((a) => a.json() as Promise<{ claimed: boolean }>))).filter((a) => a.claimed);
    expect(claimedByApi.length).toBeLessThanOrEqual(1);
    await waitForProposal(project.db, proposal.id, ["executed"], 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestsTo("/double-click")).toBe(1);
  });

  it("refuses the execute route without a token, to viewers and for unknown proposals", async () => {
    const proposal = await insertProposal(project.db, project.projectId, apiCall("/viewer"));
    const url = `${executor.controlApiUrl}/api/approvals/${proposal.id}/execute`;
    expect((await fetch(url, { method: "POST" })).status).toBe(401);
    const viewer = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${project.viewer.token}` } });
    expect(viewer.status).toBe(403);
    const unknown = await fetch(`${executor.controlApiUrl}/api/approvals/${crypto.randomUUID()}/execute`, {
      method: "POST",
      headers: { authorization: `Bearer ${project.operator.token}` },
    });
    expect(unknown.status).toBe(404);
    const notApproved = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${project.operator.token}` } });
    expect(notApproved.status).toBe(202);
    expect(await notApproved.json()).toEqual({ proposal_id: proposal.id, claimed: false, status: "proposed" });
    expect((await readProposal(project.db, proposal.id)).status).toBe("proposed");
    expect(requestsTo("/viewer")).toBe(0);
  });

  it("never runs a rejected, an expired or a tampered-with proposal, and tells the agent each time", async () => {
    const rejected = await insertProposal(project.db, project.projectId, apiCall("/rejected"));
    await resolveProposal(project.operator, rejected.id, "reject", "not this host");

    const expired = await insertProposal(project.db, project.projectId, apiCall("/expired"), {
      expiresAt: new Date(Date.now() + 300).toISOString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    executor.runWatchdog();
    expect((await waitForProposal(project.db, expired.id, ["expired"], 5_000)).status).toBe("expired");
    const late = await project.operator.client.rpc("resolve_action_proposal", { p_proposal_id: expired.id, p_decision: "approve" });
    expect((late.data as TProposalRow | null)?.status).toBe("expired");

    // Params rewritten behind the triggers' back after the approval: the claim must refuse to run it.
    const tampered = await insertProposal(project.db, project.projectId, apiCall("/approved-params"));
    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("set local session_replication_role = replica");
      await client.query(
        `update public.action_proposals set status = 'approved', approved_params_hash = params_hash, resolved_by = $2, resolved_at = now(),
                params = jsonb_set(params, '{url}', to_jsonb($3::text))
         where id = $1`,
        [tampered.id, project.operator.userId, `${server.url}/tampered`],
      );
      await client.query("commit");
    } finally {
      client.release();
    }
    const failed = await waitForProposal(project.db, tampered.id, ["failed", "executed"], 5_000);
    expect(failed).toMatchObject({ status: "failed", error: "params changed after approval", claimed_by: null });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await readProposal(project.db, rejected.id)).status).toBe("rejected");
    for (const p of ["/rejected", "/expired", "/tampered", "/approved-params"]) expect(requestsTo(p)).toBe(0);

    for (const [id, words] of [
      [rejected.id, "was rejected by an operator.\nComment: not this host"],
      [expired.id, "expired without a decision and was not run."],
      [tampered.id, "failed: params changed after approval."],
    ] as const) {
      const notices = await noticesFor(id);
      expect(notices).toEqual([expect.objectContaining({ thread: { thread_key: "DM:builder" }, deliveries: [{ agent_key: "builder" }] })]);
      expect(notices[0]?.content).toContain(words);
    }
  });

  it("gets a revised proposal from the built-in agent after a rejection with a comment, and runs the revision once approved", async () => {
    const taskId = await insertTask(project.db, project.projectId, "Write the README");
    const original = await insertProposal(
      project.db,
      project.projectId,
      { action_type: "file_write", params: { path: "docs/README.md", content: "# Project\n" } },
      { taskId },
    );
    await resolveProposal(project.operator, original.id, "reject", "Mention how to run the tests");
    const revision = await waitFor(
      "the agent's revised proposal",
      async () => {
        const { data } = await project.db.from("action_proposals").select("*").eq("revision_of", original.id);
        return data?.[0];
      },
      10_000,
    );
    expect(revision).toMatchObject({
      status: "proposed",
      action_type: "file_write",
      proposed_by_agent_key: "builder",
      task_id: taskId,
      params: { path: "docs/README.md", content: "# Project\nMention how to run the tests\n" },
    });
    // The proposal row is inserted before the reply that carries its id is saved: wait for the reply itself.
    const replies = await waitFor("the reply carrying the revised proposal", async () => {
      const { data, error } = await project.db
        .from("project_chat_messages")
        .select("content, author_agent_key, metadata, thread:project_chat_threads!thread_id(thread_key)")
        .eq("project_id", project.projectId)
        .eq("metadata->>proposal_id", revision.id)
        .eq("author_type", "agent");
      if (error) throw new Error(error.message);
      return data.length > 0 ? data : undefined;
    });
    expect(replies).toEqual([expect.objectContaining({ author_agent_key: "builder", thread: { thread_key: `task:${taskId}` } })]);
    expect(replies?.[0]?.content).toContain("Understood: I revised docs/README.md");
    expect(replies?.[0]?.content).not.toContain("```proposal");
    const { data: cards } = await project.db.from("task_events").select("kind").eq("proposal_id", revision.id);
    expect(cards).toEqual([{ kind: "approval_request" }]);
    await expect(fs.stat(path.join(workspace, "docs", "README.md"))).rejects.toMatchObject({ code: "ENOENT" });

    await resolveProposal(project.operator, revision.id, "approve");
    await waitForProposal(project.db, revision.id, ["executed"], 5_000);
    expect(await fs.readFile(path.join(workspace, "docs", "README.md"), "utf8")).toBe("# Project\nMention how to run the tests\n");
  });

  it("runs each of 20 approvals exactly once with two executors claiming side by side", async () => {
    const second = await startTestExecutor({ APPROVAL_PROJECT_IDS: project.projectId, WORKSPACE_DIR: workspace });
    try {
      const proposals = await Promise.all(
        Array.from({ length: 20 }, (_, i) => insertProposal(project.db, project.projectId, apiCall(`/race/${i}`))),
      );
      await Promise.all(proposals.map((p) => resolveProposal(project.operator, p.id, "approve")));
      const finished = await Promise.all(proposals.map((p) => waitForProposal(project.db, p.id, ["executed", "failed"], 10_000)));
      expect(finished.map((p) => p.status)).toEqual(Array(20).fill("executed"));
      for (const p of finished) expect([executor.executorId, second.executorId]).toContain(p.claimed_by);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 20; i++) expect(requestsTo(`/race/${i}`)).toBe(1);
    } finally {
      await second.stop();
    }
  });
});
