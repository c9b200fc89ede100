import { ZActionProposal } from "@mission-control/shared/schemas";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProjectFixture,
  dropProjectFixture,
  insertProposal,
  insertTask,
  type TProjectFixture,
} from "../../testing/project-fixture.ts";
import { snapshotProposal } from "../../testing/proposal-states.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("resolve");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

interface TProposalRow {
  id: string;
  status: string;
  params: Record<string, unknown>;
  params_hash: string;
  approved_params_hash: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_comment: string | null;
}

async function sha256Hex(text: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

async function eventsOf(proposalId: string, kind: string) {
  const { rows } = await sql.query<{
    author_type: string;
    author_user_id: string | null;
    author_agent_key: string | null;
    content: string;
    metadata: Record<string, unknown>;
  }>(
    "select author_type, author_user_id, author_agent_key, content, metadata from public.task_events where proposal_id = $1 and kind = $2 order by seq",
    [proposalId, kind],
  );
  return rows;
}

async function activitiesOf(proposalId: string) {
  const { rows } = await sql.query<{ kind: string; actor_type: string; actor: string }>(
    "select kind, actor_type, actor from public.activities where ref ->> 'proposal_id' = $1 order by seq",
    [proposalId],
  );
  return rows;
}

describe("resolve_action_proposal", () => {
  it("stores the sha256 of the canonical params text as params_hash", async () => {
    const id = await insertProposal(sql, f.projectId, { params: { z: 1, a: { y: [1, 2], b: "x" } } });
    const { rows } = await sql.query<{ params_text: string; params_hash: string }>(
      "select params::text as params_text, params_hash from public.action_proposals where id = $1",
      [id],
    );
    expect(rows[0]?.params_text).toBe('{"a": {"b": "x", "y": [1, 2]}, "z": 1}');
    expect(rows[0]?.params_hash).toBe(await sha256Hex(rows[0]?.params_text ?? ""));
  });

  it("records who approved and when, and binds the approval to the params hash", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const id = await insertProposal(sql, f.projectId, { task_id: taskId });
    const { data, error } = await f.operator.client.rpc("resolve_action_proposal", {
      p_proposal_id: id,
      p_decision: "approve",
      p_comment: "ok",
    });
    expect(error).toBeNull();
    const row = data as TProposalRow;
    expect(row).toMatchObject({ id, status: "approved", resolved_by: f.operator.userId, resolution_comment: "ok" });
    expect(row.resolved_at).not.toBeNull();
    expect(row.approved_params_hash).toBe(row.params_hash);
    const resolved = await eventsOf(id, "approval_resolved");
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      author_type: "user",
      author_user_id: f.operator.userId,
      metadata: { status: "approved", comment: "ok" },
    });
    expect((await activitiesOf(id)).map((a) => a.kind)).toEqual(["approval.proposed", "approval.approved"]);
  });

  it("binds an edit-and-approve to the hash of the edited params", async () => {
    const id = await insertProposal(sql, f.projectId);
    const before = await snapshotProposal(sql, id);
    const edited = { path: "notes/plan.md", content: "# Plan (edited)\n" };
    const { data, error } = await f.owner.client.rpc("resolve_action_proposal", {
      p_proposal_id: id,
      p_decision: "approve",
      p_params: edited,
    });
    expect(error).toBeNull();
    const row = data as TProposalRow;
    expect(row.params).toEqual(edited);
    expect(row.params_hash).not.toBe(before?.params_hash);
    expect(row.approved_params_hash).toBe(row.params_hash);
    expect(row.params_hash).toBe(await sha256Hex(JSON.stringify(edited).replaceAll('":', '": ').replaceAll('",', '", ')));
  });

  it("treats a double-clicked approval as one resolution", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const id = await insertProposal(sql, f.projectId, { task_id: taskId });
    const clicks = await Promise.all(
      Array.from({ length: 8 }, () => f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" })),
    );
    for (const click of clicks) expect(click.error).toBeNull();
    const rows = clicks.map((c) => c.data as TProposalRow);
    expect(new Set(rows.map((r) => `${r.status} ${r.resolved_at}`)).size).toBe(1);
    const again = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect((again.data as TProposalRow).resolved_at).toBe(rows[0]?.resolved_at);
    expect(await eventsOf(id, "approval_resolved")).toHaveLength(1);
    expect((await activitiesOf(id)).filter((a) => a.kind === "approval.approved")).toHaveLength(1);
  });

  it("refuses to reject an approved proposal, or approve a rejected one, with PT409", async () => {
    const approved = await insertProposal(sql, f.projectId);
    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: approved, p_decision: "approve" });
    const reject = await f.owner.client.rpc("resolve_action_proposal", {
      p_proposal_id: approved,
      p_decision: "reject",
      p_comment: "changed my mind",
    });
    expect(reject.error?.code).toBe("PT409");
    expect((await snapshotProposal(sql, approved))?.status).toBe("approved");

    const rejected = await insertProposal(sql, f.projectId);
    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: rejected, p_decision: "reject", p_comment: "no" });
    const approve = await f.owner.client.rpc("resolve_action_proposal", { p_proposal_id: rejected, p_decision: "approve" });
    expect(approve.error?.code).toBe("PT409");
    expect((await snapshotProposal(sql, rejected))?.status).toBe("rejected");
  });

  it("refuses an approval with different params once approved", async () => {
    const id = await insertProposal(sql, f.projectId);
    await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    const before = await snapshotProposal(sql, id);
    const { error } = await f.operator.client.rpc("resolve_action_proposal", {
      p_proposal_id: id,
      p_decision: "approve",
      p_params: { path: "other.md", content: "x" },
    });
    expect(error?.code).toBe("PT409");
    expect(await snapshotProposal(sql, id)).toEqual(before);
  });

  it("marks a proposal past its expiry expired instead of approving it", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const id = await insertProposal(sql, f.projectId, { task_id: taskId, expires_at: new Date(Date.now() - 60_000) });
    const { data, error } = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "expired", approved_params_hash: null, resolved_by: null });
    expect(await snapshotProposal(sql, id)).toMatchObject({ status: "expired", approved_params_hash: null });
    const second = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(second.data).toMatchObject({ status: "expired" });
    const events = await eventsOf(id, "approval_resolved");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ author_type: "system", metadata: { status: "expired" } });
  });

  it("expires undecided proposals past their expiry through expire_action_proposals and leaves the others", async () => {
    const late = await insertProposal(sql, f.projectId, { expires_at: new Date(Date.now() - 1000) });
    const fresh = await insertProposal(sql, f.projectId);
    const { data, error } = await serviceClient().rpc("expire_action_proposals");
    expect(error).toBeNull();
    expect((data as TProposalRow[]).map((r) => r.id)).toContain(late);
    expect((await snapshotProposal(sql, late))?.status).toBe("expired");
    expect((await snapshotProposal(sql, fresh))?.status).toBe("proposed");
    expect((await activitiesOf(late)).map((a) => a.kind)).toEqual(["approval.proposed", "approval.expired"]);
  });

  it("requires a comment to reject, and writes the rejection with its comment into the task thread", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const id = await insertProposal(sql, f.projectId, { task_id: taskId });
    const silent = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "reject" });
    expect(silent.error?.code).toBe("22023");
    expect((await snapshotProposal(sql, id))?.status).toBe("proposed");
    const { data, error } = await f.operator.client.rpc("resolve_action_proposal", {
      p_proposal_id: id,
      p_decision: "reject",
      p_comment: "Write to docs/ instead",
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "rejected", resolved_by: f.operator.userId, resolution_comment: "Write to docs/ instead" });
    const events = await eventsOf(id, "approval_resolved");
    expect(events).toHaveLength(1);
    expect(events[0]?.content).toContain("Write to docs/ instead");
    expect(events[0]?.metadata).toMatchObject({ status: "rejected", comment: "Write to docs/ instead" });
  });

  it("refuses a viewer with 42501 and a member of another project with PT404, and the proposal stays proposed", async () => {
    const id = await insertProposal(sql, f.projectId);
    const viewer = await f.viewer.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(viewer.error?.code).toBe("42501");
    const outsider = await f.outsider.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(outsider.error?.code).toBe("PT404");
    const service = await serviceClient().rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(service.error).not.toBeNull();
    expect((await snapshotProposal(sql, id))?.status).toBe("proposed");
  });

  it("announces a proposal in its task thread and chat thread, linked by id", async () => {
    const taskId = await insertTask(sql, f.projectId);
    const { rows: threads } = await sql.query<{ id: string }>(
      "insert into public.project_chat_threads (project_id, kind, thread_key) values ($1, 'team_room', 'team-room') returning id",
      [f.projectId],
    );
    const threadId = threads[0]?.id;
    const id = await insertProposal(sql, f.projectId, { task_id: taskId, thread_id: threadId, summary: "Write the plan" });
    const requests = await eventsOf(id, "approval_request");
    expect(requests).toEqual([
      expect.objectContaining({
        author_type: "agent",
        author_agent_key: "builder",
        content: "Write the plan",
        metadata: expect.objectContaining({ proposal_id: id }),
      }),
    ]);
    const { rows: messages } = await sql.query(
      "select message_type, author_agent_key, metadata ->> 'proposal_id' as proposal_id from public.project_chat_messages where thread_id = $1",
      [threadId],
    );
    expect(messages).toEqual([{ message_type: "action_proposal", author_agent_key: "builder", proposal_id: id }]);
  });

  it("announces a create_task proposal in chat as a task_proposal message and other actions as action_proposal", async () => {
    const { rows: threads } = await sql.query<{ id: string }>(
      "insert into public.project_chat_threads (project_id, kind, thread_key, agent_key) values ($1, 'dm', 'DM:builder', 'builder') on conflict (project_id, thread_key) do update set title = excluded.title returning id",
      [f.projectId],
    );
    const threadId = threads[0]?.id;
    const taskProposal = await insertProposal(sql, f.projectId, {
      thread_id: threadId,
      action_type: "create_task",
      params: { title: "Write the release notes" },
      summary: "Add a task for the release notes",
    });
    const fileProposal = await insertProposal(sql, f.projectId, { thread_id: threadId, summary: "Write the plan" });
    const { rows: messages } = await sql.query(
      "select message_type, metadata ->> 'proposal_id' as proposal_id from public.project_chat_messages where thread_id = $1 and metadata ->> 'proposal_id' in ($2, $3) order by seq",
      [threadId, taskProposal, fileProposal],
    );
    expect(messages).toEqual([
      { message_type: "task_proposal", proposal_id: taskProposal },
      { message_type: "action_proposal", proposal_id: fileProposal },
    ]);
    const tasks = await sql.query("select 1 from public.tasks where project_id = $1 and title = 'Write the release notes'", [f.projectId]);
    expect(tasks.rowCount).toBe(0);
  });

  it("refuses a proposal whose chat thread belongs to another project", async () => {
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.project_chat_threads (project_id, kind, thread_key) values ($1, 'team_room', 'team-room') returning id",
      [f.otherProjectId],
    );
    await expect(insertProposal(sql, f.projectId, { thread_id: rows[0]?.id })).rejects.toMatchObject({ code: "23503" });
  });

  it("returns rows that parse with the shared ZActionProposal schema", async () => {
    const id = await insertProposal(sql, f.projectId);
    const { data, error } = await f.operator.client.rpc("resolve_action_proposal", { p_proposal_id: id, p_decision: "approve" });
    expect(error).toBeNull();
    const parsed = ZActionProposal.safeParse(data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ id, action_type: "file_write", params: { path: "notes/plan.md" } });
  });
});
