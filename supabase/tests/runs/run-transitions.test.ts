import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import {
  queueTestRun,
  readRun,
  readRunEvents,
  runInStatus,
  snapshotRun,
  TEST_RUN_STATUSES,
  type TTestRunStatus,
} from "../../testing/run-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
const inState = new Map<TTestRunStatus, string>();

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("run-transitions");
  for (const status of TEST_RUN_STATUSES) inState.set(status, await runInStatus(sql, f.projectId, status));
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

function idIn(status: TTestRunStatus): string {
  const id = inState.get(status);
  if (!id) throw new Error(`no run in ${status}`);
  return id;
}

/** Columns a status needs to pass the table's checks, so only the state machine can refuse the change. */
function fieldsFor(status: TTestRunStatus): Record<string, unknown> {
  switch (status) {
    case "running":
      return { status, claimed_by: "rogue-executor", lease_expires_at: new Date(Date.now() + 60_000).toISOString() };
    case "failed":
      return { status, error: "rogue" };
    default:
      return { status };
  }
}

/** The transitions the state machine allows (running -> queued only after the lease expired: tested on its own). */
const ALLOWED = new Set([
  "queued->running",
  "queued->cancelled",
  "queued->failed",
  "running->needs_approval",
  "running->completed",
  "running->failed",
  "running->cancelled",
  "needs_approval->running",
  "needs_approval->completed",
  "needs_approval->failed",
  "needs_approval->cancelled",
]);
const pairs = TEST_RUN_STATUSES.flatMap((from) => TEST_RUN_STATUSES.filter((to) => to !== from).map((to) => ({ from, to })));
const forbidden = pairs.filter(({ from, to }) => !ALLOWED.has(`${from}->${to}`));
const allowed = pairs.filter(({ from, to }) => ALLOWED.has(`${from}->${to}`));

describe("the run state machine", () => {
  it("starts every run of the fixture in the state it is named after", async () => {
    for (const status of TEST_RUN_STATUSES) expect((await snapshotRun(sql, idIn(status)))?.status).toBe(status);
  });

  it.each(forbidden)("refuses $from -> $to by the service role and leaves the run as it was", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotRun(sql, id);
    const { data, error } = await serviceClient().from("ai_runs").update(fieldsFor(to)).eq("id", id).select("status");
    expect(data).toBeNull();
    expect(error?.code).toBe("23514");
    expect(await snapshotRun(sql, id)).toEqual(before);
  });

  it.each(pairs)("refuses $from -> $to by an operator's direct update with 42501", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotRun(sql, id);
    const { error } = await f.operator.client.from("ai_runs").update(fieldsFor(to)).eq("id", id);
    expect(error?.code).toBe("42501");
    expect(await snapshotRun(sql, id)).toEqual(before);
  });

  it.each([
    { from: "completed", to: "running" },
    { from: "failed", to: "queued" },
    { from: "cancelled", to: "running" },
    { from: "queued", to: "completed" },
    { from: "queued", to: "needs_approval" },
    { from: "running", to: "queued" },
  ] as const)("refuses $from -> $to even for the superuser", async ({ from, to }) => {
    const id = idIn(from);
    const before = await snapshotRun(sql, id);
    const set = Object.entries(fieldsFor(to));
    await expect(
      sql.query(`update public.ai_runs set ${set.map(([k], i) => `${k} = $${i + 2}`).join(", ")} where id = $1`, [
        id,
        ...set.map(([, v]) => v),
      ]),
    ).rejects.toMatchObject({ code: "23514" });
    expect(await snapshotRun(sql, id)).toEqual(before);
  });

  it.each(allowed)("lets the service role move a run $from -> $to, stamping its times", async ({ from, to }) => {
    const id = await runInStatus(sql, f.projectId, from);
    const { data, error } = await serviceClient().from("ai_runs").update(fieldsFor(to)).eq("id", id).select("status").single();
    expect(error).toBeNull();
    expect(data).toEqual({ status: to });
    const run = await readRun(sql, id);
    expect(run?.started_at !== null).toBe(from !== "queued" || to === "running");
    expect(run?.finished_at !== null).toBe(["completed", "failed", "cancelled"].includes(to));
    expect(run?.lease_expires_at !== null).toBe(to === "running");
    if (to === "cancelled") expect(run?.cancel_requested_at).not.toBeNull();
  });

  it("sends a running run back to the queue only after its lease expired, while claims remain", async () => {
    const id = await runInStatus(sql, f.projectId, "running");
    const early = await serviceClient().from("ai_runs").update({ status: "queued" }).eq("id", id);
    expect(early.error?.code).toBe("23514");
    await sql.query("update public.ai_runs set lease_expires_at = now() - interval '1 second' where id = $1", [id]);
    const { error } = await serviceClient().from("ai_runs").update({ status: "queued" }).eq("id", id);
    expect(error).toBeNull();
    const run = await readRun(sql, id);
    expect(run).toMatchObject({ status: "queued", claimed_by: null, lease_expires_at: null, attempts: 1 });

    const exhausted = await runInStatus(sql, f.projectId, "running");
    await sql.query("update public.ai_runs set attempts = 3, lease_expires_at = now() - interval '1 second' where id = $1", [exhausted]);
    const refused = await serviceClient().from("ai_runs").update({ status: "queued" }).eq("id", exhausted);
    expect(refused.error?.code).toBe("23514");
    expect((await snapshotRun(sql, exhausted))?.status).toBe("running");
  });

  it.each(["completed", "failed", "cancelled"] as const)("keeps a %s run as it ended, even for the service role", async (status) => {
    const id = idIn(status);
    const before = await snapshotRun(sql, id);
    const { error } = await serviceClient().from("ai_runs").update({ result_summary: "rewritten", step_count: 99 }).eq("id", id);
    expect(error?.code).toBe("23514");
    expect(await snapshotRun(sql, id)).toEqual(before);
  });

  it("keeps a run's goal, agent, mode and origin", async () => {
    const id = idIn("running");
    for (const change of [
      { goal: "something else" },
      { mode: "implement" },
      { origin: "mention" },
      { agent_key: "other" },
      { iteration: 2 },
    ]) {
      const { error } = await serviceClient().from("ai_runs").update(change).eq("id", id);
      expect(error?.code, JSON.stringify(change)).toBe("23514");
    }
    expect(await readRun(sql, id)).toMatchObject({
      goal: "Test run",
      mode: "plan",
      origin: "runs_page",
      agent_key: "builder",
      iteration: 1,
    });
  });

  it("starts every new run queued and unclaimed", async () => {
    for (const fields of [
      { status: "running", claimed_by: "x", lease_expires_at: new Date().toISOString() },
      { attempts: 1 },
      { error: "x" },
    ]) {
      await expect(queueTestRun(sql, f.projectId, fields)).rejects.toMatchObject({ code: "23514" });
    }
    const { error } = await serviceClient()
      .from("ai_runs")
      .insert({ project_id: f.projectId, agent_key: "builder", mode: "plan", origin: "runs_page", goal: "x", status: "completed" });
    expect(error?.code).toBe("23514");
  });

  it("refuses a run for an agent, thread or parent run of another project", async () => {
    await insertAgent(sql, f.otherProjectId, "foreigner");
    await expect(queueTestRun(sql, f.projectId, { agent_key: "foreigner" })).rejects.toMatchObject({ code: "23503" });
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.project_chat_threads (project_id, kind, thread_key) values ($1, 'team_room', 'team-room') returning id",
      [f.otherProjectId],
    );
    await expect(queueTestRun(sql, f.projectId, { thread_id: rows[0]?.id })).rejects.toMatchObject({ code: "23503" });
    const foreignRun = await queueTestRun(sql, f.otherProjectId, { agent_key: "foreigner" });
    await expect(queueTestRun(sql, f.projectId, { parent_run_id: foreignRun })).rejects.toMatchObject({ code: "23503" });
  });

  it("fills in the agent's id and the participants", async () => {
    const id = await queueTestRun(sql, f.projectId);
    const run = await readRun(sql, id);
    const { rows } = await sql.query<{ id: string }>("select id from public.agents where project_id = $1 and agent_key = 'builder'", [
      f.projectId,
    ]);
    expect(run).toMatchObject({ agent_id: rows[0]?.id, participants: ["builder"], status: "queued", max_steps: 12 });
  });

  it("writes a status event {from, to} for the new run and every status change", async () => {
    const id = await runInStatus(sql, f.projectId, "completed");
    const events = await readRunEvents(sql, id);
    expect(events.map((e) => [e.kind, e.data.from, e.data.to])).toEqual([
      ["status", null, "queued"],
      ["status", "queued", "running"],
      ["status", "running", "completed"],
    ]);
    expect(events[0]?.summary).toBe("Queued: started by an operator");
    expect(events[1]?.summary).toMatch(/^Claimed by executor-\w+ \(attempt 1 of 3\)$/);
    expect(events[2]?.summary).toBe("Completed: done by the test");
  });
});
