import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

// project_overview: the Overview page's one read. Deliveries are seeded as the superuser with
// known timestamps around a base minute ten minutes ago (inside the hour whenever the call runs),
// and the answer's minutes are found by their timestamp, so a minute boundary passing mid-test
// changes nothing.

let sql: pg.Pool;
let f: TProjectFixture;
/** The base minute (ms since the epoch): ten minutes before the seeding, on a minute boundary. */
let base: number;

type TMinute = { minute: string; queued: number; replies: number; p50_ms: number | null; p95_ms: number | null };
type TOverview = {
  minutes: number;
  queue: {
    queued: number;
    in_flight: number;
    failed_24h: number;
    oldest: { agent_key: string; thread_key: string; created_at: string } | null;
  };
  failed: Array<{ agent_key: string; error: string; thread_key: string; attempts: number }>;
  spend_today: { usd: number | null; tokens: number; calls: number; unpriced_calls: number };
  history: TMinute[];
};

const at = (offsetSeconds: number) => new Date(base + offsetSeconds * 1000).toISOString();

/** A thread (one per key), a message in it and that message's delivery to `agentKey`, with the given state and timestamps. */
async function seedDelivery(projectId: string, threadKey: string, agentKey: string, fields: Record<string, unknown>): Promise<void> {
  const dm = threadKey.startsWith("DM:");
  const thread = await sql.query<{ id: string }>(
    `insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title) values ($1, $2, $3, $4, 'Thread')
     on conflict (project_id, thread_key) do update set title = excluded.title returning id`,
    [projectId, dm ? "dm" : "team_room", threadKey, dm ? threadKey.slice(3) : null],
  );
  const message = await sql.query<{ id: string }>(
    "insert into public.project_chat_messages (project_id, thread_id, author_type, target_agent_keys, content) values ($1, $2, 'user', array[$3], 'Hello') returning id",
    [projectId, thread.rows[0]?.id, agentKey],
  );
  const row: Record<string, unknown> = { project_id: projectId, message_id: message.rows[0]?.id, agent_key: agentKey, ...fields };
  const cols = Object.keys(row);
  await sql.query(
    `insert into public.chat_delivery_queue (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
    Object.values(row),
  );
}

async function seedCall(projectId: string, fields: Record<string, unknown>): Promise<void> {
  const row: Record<string, unknown> = {
    id: crypto.randomUUID(),
    project_id: projectId,
    agent_key: "worker",
    provider: "connection",
    model: "gpt-4o-mini",
    outcome: "ok",
    finished_at: new Date().toISOString(),
    ...fields,
  };
  const cols = Object.keys(row);
  await sql.query(
    `insert into public.provider_calls (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
    Object.values(row),
  );
}

function minuteAt(overview: TOverview, offsetMinutes: number): TMinute {
  const wanted = base + offsetMinutes * 60_000;
  const found = overview.history.find((m) => Date.parse(m.minute) === wanted);
  if (!found) throw new Error(`no minute ${new Date(wanted).toISOString()} in the history`);
  return found;
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("overview");
  const { rows } = await sql.query<{ base: Date }>("select date_trunc('minute', now()) - interval '10 minutes' as base");
  const first = rows[0];
  if (!first) throw new Error("no time from the database");
  base = first.base.getTime();
  const p = f.projectId;
  // Processed in the base minute: latencies 50 s and 30 s.
  await seedDelivery(p, "DM:worker", "worker", { status: "processed", created_at: at(0), picked_up_at: at(20), completed_at: at(50) });
  await seedDelivery(p, "DM:worker", "worker", { status: "processed", created_at: at(10), picked_up_at: at(30), completed_at: at(40) });
  // Waits past the end of the base minute, processed in the next: 85 s.
  await seedDelivery(p, "team-room", "worker", { status: "processed", created_at: at(5), picked_up_at: at(70), completed_at: at(90) });
  // Still queued, created 30 minutes before the base minute: the oldest waiting delivery.
  await seedDelivery(p, "DM:reviewer", "reviewer", { status: "queued", created_at: at(-1800) });
  // Failed two minutes after the base minute (counted), and two days ago (not counted).
  await seedDelivery(p, "team-room", "reviewer", {
    status: "failed",
    attempts: 5,
    error: "Provider said no",
    created_at: at(0),
    picked_up_at: at(10),
    completed_at: at(120),
  });
  await seedDelivery(p, "DM:worker", "reviewer", {
    status: "failed",
    error: "Old failure",
    created_at: at(-2 * 86_400),
    picked_up_at: at(-2 * 86_400 + 5),
    completed_at: at(-2 * 86_400 + 10),
  });
  // In flight since three minutes after the base minute.
  await seedDelivery(p, "team-room", "lead", { status: "delivered", attempts: 1, created_at: at(180), picked_up_at: at(190) });
  // Another project's queued delivery is not counted.
  await seedDelivery(f.otherProjectId, "team-room", "worker", { status: "queued", created_at: at(0) });

  // Today's finished calls count; a refused call, yesterday's and another project's do not.
  await seedCall(p, { input_tokens: 100, output_tokens: 50, cost_usd: 0.01 });
  await seedCall(p, { input_tokens: 200, output_tokens: 0, cost_usd: 0.02, outcome: "error" });
  await seedCall(p, { input_tokens: 10, output_tokens: 10, cost_usd: null });
  await seedCall(p, { input_tokens: 999, outcome: "budget_exceeded" });
  await seedCall(p, { input_tokens: 999, cost_usd: 9, created_at: new Date(Date.now() - 86_400_000 * 2).toISOString() });
  await seedCall(f.otherProjectId, { input_tokens: 999, cost_usd: 9 });
});

afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

describe("project_overview", () => {
  it("counts the queue now, the oldest waiting delivery, the failures of the last day and today's spend", async () => {
    const { data, error } = await f.viewer.client.rpc("project_overview", { p_project_id: f.projectId });
    expect(error).toBeNull();
    const overview = data as TOverview;
    expect(overview.minutes).toBe(60);
    expect(overview.queue).toMatchObject({ queued: 1, in_flight: 1, failed_24h: 1 });
    expect(overview.queue.oldest).toMatchObject({ agent_key: "reviewer", thread_key: "DM:reviewer" });
    expect(Date.parse(overview.queue.oldest?.created_at ?? "")).toBe(base - 1_800_000);
    expect(overview.failed).toEqual([
      expect.objectContaining({ agent_key: "reviewer", error: "Provider said no", thread_key: "team-room", attempts: 5 }),
    ]);
    expect(overview.spend_today).toEqual({ usd: 0.03, tokens: 370, calls: 3, unpriced_calls: 1 });
  });

  it("gives the queue depth at the end of each minute and the reply latency p50 / p95 of the replies in it", async () => {
    const { data, error } = await f.operator.client.rpc("project_overview", { p_project_id: f.projectId, p_minutes: 60 });
    expect(error).toBeNull();
    const overview = data as TOverview;
    expect(overview.history).toHaveLength(60);
    const minutes = overview.history.map((m) => Date.parse(m.minute));
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    // The base minute: the queued one and the one picked up at 70 s wait at its end; replies of 50 s and 30 s.
    expect(minuteAt(overview, 0)).toEqual({ minute: expect.any(String), queued: 2, replies: 2, p50_ms: 40_000, p95_ms: 49_000 });
    expect(minuteAt(overview, 1)).toEqual({ minute: expect.any(String), queued: 1, replies: 1, p50_ms: 85_000, p95_ms: 85_000 });
    // The in-flight delivery waited 10 s inside minute 3 and was picked up before its end.
    expect(minuteAt(overview, 3)).toMatchObject({ queued: 1, replies: 0, p50_ms: null, p95_ms: null });
    // Two minutes before the base minute only the old queued delivery waited; at the end of the
    // minute before it, the two created on the base minute's first instant waited too.
    expect(minuteAt(overview, -2)).toMatchObject({ queued: 1, replies: 0 });
    expect(minuteAt(overview, -1)).toMatchObject({ queued: 3, replies: 0 });
  });

  it("refuses a non-member (403) and anon, and says what to pass on bad input (400)", async () => {
    const outsider = await f.outsider.client.rpc("project_overview", { p_project_id: f.projectId });
    expect(outsider.data).toBeNull();
    expect(outsider.status).toBe(403);
    expect(outsider.error?.message).toMatch(/not a member/);

    const anon = await anonClient().rpc("project_overview", { p_project_id: f.projectId });
    expect(anon.data).toBeNull();
    expect(anon.error).not.toBeNull();

    const tooLong = await f.owner.client.rpc("project_overview", { p_project_id: f.projectId, p_minutes: 1000 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.error?.message).toMatch(/p_minutes must be from 5 to 240/);
    const noProject = await f.owner.client.rpc("project_overview", { p_project_id: null });
    expect(noProject.status).toBe(400);
    const notUuid = await f.owner.client.rpc("project_overview", { p_project_id: "not-a-uuid" });
    expect(notUuid.status).toBe(400);
  });

  it("shows a member of the other project only that project's numbers", async () => {
    const { data, error } = await f.outsider.client.rpc("project_overview", { p_project_id: f.otherProjectId });
    expect(error).toBeNull();
    const overview = data as TOverview;
    expect(overview.queue).toMatchObject({ queued: 1, in_flight: 0, failed_24h: 0 });
    expect(overview.spend_today).toMatchObject({ calls: 1, tokens: 999 });
  });
});
