import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDeliveries, insertAgent, sendDm } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
const projects: string[] = [];

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("budgets");
});
afterAll(async () => {
  await sql.query("delete from public.projects where id = any ($1)", [projects]);
  await dropProjectFixture(f);
  await sql.end();
});

type TReserveAnswer = { ok: boolean; call_id: string; outcome: string; reason: string | null; budget_id?: string | null };

/** A project of its own (budgets are per project) with one agent; returns both ids. */
async function budgetProject(agentKey = "worker"): Promise<{ projectId: string; agentId: string }> {
  const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Budgets', $1) returning id", [
    `budgets-${crypto.randomUUID().slice(0, 8)}`,
  ]);
  const projectId = rows[0]?.id ?? "";
  projects.push(projectId);
  return { projectId, agentId: await insertAgent(sql, projectId, agentKey) };
}

async function addBudget(projectId: string, fields: Record<string, unknown>): Promise<string> {
  const row = { project_id: projectId, period: "day", unit: "tokens", ...fields };
  const cols = Object.keys(row);
  const { rows } = await sql.query<{ id: string }>(
    `insert into public.budgets (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")}) returning id`,
    Object.values(row),
  );
  return rows[0]?.id ?? "";
}

/** Queues a DM to `agentKey` as the superuser (one thread per agent, made on first use); returns the message id. */
async function queueDm(projectId: string, agentKey: string, content: string): Promise<string> {
  const thread = await sql.query<{ id: string }>(
    `insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title) values ($1, 'dm', 'DM:' || $2, $2, 'DM')
     on conflict (project_id, thread_key) do update set title = excluded.title returning id`,
    [projectId, agentKey],
  );
  const message = await sql.query<{ id: string }>(
    "insert into public.project_chat_messages (project_id, thread_id, author_type, target_agent_keys, content) values ($1, $2, 'user', array[$3], $4) returning id",
    [projectId, thread.rows[0]?.id, agentKey, content],
  );
  await sql.query("insert into public.chat_delivery_queue (project_id, message_id, agent_key) values ($1, $2, $3)", [
    projectId,
    message.rows[0]?.id,
    agentKey,
  ]);
  return message.rows[0]?.id ?? "";
}

function call(projectId: string, agentId: string | null, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: crypto.randomUUID(),
    project_id: projectId,
    agent_id: agentId,
    agent_key: "worker",
    provider: "connection",
    model: "gpt-4o-mini",
    reserved_tokens: 300,
    settings: { values: { model: "gpt-4o-mini" }, sources: { model: "agent" } },
    ...fields,
  };
}

async function reserve(pool: pg.Pool | pg.PoolClient, payload: Record<string, unknown>): Promise<TReserveAnswer> {
  const { rows } = await pool.query<{ r: TReserveAnswer }>("select public.reserve_provider_call($1::jsonb) as r", [payload]);
  return rows[0]?.r as TReserveAnswer;
}

async function record(
  pool: pg.Pool,
  payload: Record<string, unknown>,
): Promise<{ call_id: string; outcome: string; cost_usd: number | null }> {
  const { rows } = await pool.query("select public.record_provider_call($1::jsonb) as r", [payload]);
  return rows[0]?.r;
}

async function callRow(id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql.query(
    "select outcome, input_tokens, output_tokens, reserved_tokens, reserved_usd::float8, cost_usd::float8, error, finished_at is not null as finished from public.provider_calls where id = $1",
    [id],
  );
  return rows[0];
}

async function holdRow(callId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql.query(
    "select project_id, agent_id, delivery_id, provider, connection_id, model, reserved_tokens, reserved_usd::float8 from public.budget_holds where call_id = $1",
    [callId],
  );
  return rows[0];
}

/** What a budget has used (budget_used: its counted usage, the deltas not folded yet and its holds). */
async function used(budgetId: string): Promise<number> {
  const { rows } = await sql.query<{ s: number }>("select public.budget_used(b)::float8 as s from public.budgets b where b.id = $1", [
    budgetId,
  ]);
  return rows[0]?.s ?? -1;
}

/** Polls `query` until its first row's `ok` is true (the state a test waits on), or fails after 5 s. */
async function waitForRow(query: string, params: unknown[], what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await sql.query<{ ok: boolean }>(query, params);
    if (rows[0]?.ok) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function activities(projectId: string, kind: string): Promise<string[]> {
  const { rows } = await sql.query<{ summary: string }>(
    "select summary from public.activities where project_id = $1 and kind = $2 order by id",
    [projectId, kind],
  );
  return rows.map((r) => r.summary);
}

async function spend(projectId: string, unit = "tokens"): Promise<number> {
  const { rows } = await sql.query<{ s: number }>(
    "select public.provider_call_spend($1, null, $2, public.budget_period_start('day', now()))::float8 as s",
    [projectId, unit],
  );
  return rows[0]?.s ?? -1;
}

describe("recording a provider call", () => {
  it("prices it from model_prices, at 0 for the built-in model and null for a model without a price", async () => {
    const { projectId, agentId } = await budgetProject();
    await sql.query(
      "insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, 'gpt-4o-mini', 0.15, 0.60)",
      [projectId],
    );
    const priced = await record(sql, call(projectId, agentId, { input_tokens: 1_000_000, output_tokens: 500_000, latency_ms: 80 }));
    expect(Number(priced.cost_usd)).toBeCloseTo(0.45, 6);
    const unknown = await record(sql, call(projectId, agentId, { model: "mystery-1", input_tokens: 10, output_tokens: 10 }));
    expect(unknown.cost_usd).toBeNull();
    const builtin = await record(
      sql,
      call(projectId, agentId, { provider: "builtin", model: "builtin-offline", input_tokens: 10, output_tokens: 10 }),
    );
    expect(Number(builtin.cost_usd)).toBe(0);
    expect(await callRow(unknown.call_id)).toMatchObject({
      outcome: "ok",
      input_tokens: 10,
      output_tokens: 10,
      cost_usd: null,
      finished: true,
    });
  });

  it("holds a reserved call apart until it is recorded, then writes its row once and keeps it as it is", async () => {
    const { projectId, agentId } = await budgetProject();
    await sql.query(
      "insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, 'gpt-4o-mini', 1, 4)",
      [projectId],
    );
    await addBudget(projectId, { hard_limit: 1_000_000 });
    const payload = call(projectId, agentId, { reserved_tokens: 1000 });
    expect(await reserve(sql, payload)).toMatchObject({ ok: true, outcome: "pending", reason: null });
    expect(await holdRow(String(payload.id))).toMatchObject({ reserved_tokens: 1000, reserved_usd: 0.004, model: "gpt-4o-mini" });
    expect(await callRow(String(payload.id))).toBeUndefined();
    await record(sql, { ...payload, input_tokens: 600, output_tokens: 100, outcome: "ok" });
    await record(sql, { ...payload, input_tokens: 9999, output_tokens: 9999, outcome: "error", error: "late retry" });
    expect(await holdRow(String(payload.id))).toBeUndefined();
    expect(await callRow(String(payload.id))).toMatchObject({
      outcome: "ok",
      input_tokens: 600,
      output_tokens: 100,
      reserved_tokens: 1000,
      reserved_usd: 0.004,
      cost_usd: 0.001,
      error: null,
      finished: true,
    });
    const { error } = await serviceClient().from("provider_calls").update({ input_tokens: 1 }).eq("id", payload.id);
    expect(error?.code).toBe("42501");
    await expect(sql.query("delete from public.provider_calls where id = $1", [payload.id])).rejects.toThrow(/append-only/);
  });

  it("records a call listed twice in one batch once, with its first record", async () => {
    const { projectId, agentId } = await budgetProject();
    const payload = call(projectId, agentId, { input_tokens: 5, output_tokens: 1, outcome: "ok" });
    await sql.query("select public.record_provider_calls($1::jsonb[])", [
      [JSON.stringify(payload), JSON.stringify({ ...payload, input_tokens: 50, outcome: "error", error: "again" })],
    ]);
    expect(await callRow(String(payload.id))).toMatchObject({ outcome: "ok", input_tokens: 5, output_tokens: 1 });
  });

  it("records a failed call with its error", async () => {
    const { projectId, agentId } = await budgetProject();
    const answer = await record(sql, call(projectId, agentId, { outcome: "error", error: "401 from the provider", input_tokens: 0 }));
    expect(await callRow(answer.call_id)).toMatchObject({ outcome: "error", error: "401 from the provider", finished: true });
    await expect(record(sql, call(projectId, agentId, { outcome: "pending" }))).rejects.toThrow(/ok or error/);
  });
});

describe("budgets", () => {
  it("refuses a call that would pass a hard budget, records it as budget_exceeded and says so once per period", async () => {
    const { projectId, agentId } = await budgetProject();
    const budgetId = await addBudget(projectId, { hard_limit: 1000, soft_ratio: null });
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 700 }))).ok).toBe(true);
    const refused = await reserve(sql, call(projectId, agentId, { reserved_tokens: 320 }));
    expect(refused).toMatchObject({ ok: false, outcome: "budget_exceeded", budget_id: budgetId });
    expect(refused.reason).toBe(
      "Budget exceeded: project daily token budget 1,000 (used 700; this call needs up to 320). Raise it in Usage → Budgets, then retry.",
    );
    expect(await callRow(refused.call_id)).toMatchObject({ outcome: "budget_exceeded", error: refused.reason, finished: true });
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 500 }))).ok).toBe(false);
    expect(await activities(projectId, "budget.exceeded")).toEqual([refused.reason]);
    expect(await spend(projectId)).toBe(700);
  });

  it("answers a retry of the same call id with the stored outcome", async () => {
    const { projectId, agentId } = await budgetProject();
    await addBudget(projectId, { hard_limit: 100 });
    const payload = call(projectId, agentId, { reserved_tokens: 300 });
    const first = await reserve(sql, payload);
    await sql.query("update public.budgets set hard_limit = 10000 where project_id = $1", [projectId]);
    const again = await reserve(sql, payload);
    expect(again).toMatchObject({ ok: false, call_id: first.call_id, outcome: "budget_exceeded", reason: first.reason });
    const { rows } = await sql.query("select count(*)::int as c from public.provider_calls where id = $1", [payload.id]);
    expect(rows[0]?.c).toBe(1);
  });

  it("lets the next call through once the budget is raised", async () => {
    const { projectId, agentId } = await budgetProject();
    await addBudget(projectId, { hard_limit: 100 });
    expect((await reserve(sql, call(projectId, agentId))).ok).toBe(false);
    await sql.query("update public.budgets set hard_limit = 1000 where project_id = $1", [projectId]);
    expect(await reserve(sql, call(projectId, agentId))).toMatchObject({ ok: true, outcome: "pending" });
  });

  it("posts the soft warning exactly once per period", async () => {
    const { projectId, agentId } = await budgetProject();
    await addBudget(projectId, { hard_limit: 1000, soft_ratio: 0.5 });
    for (let i = 0; i < 3; i++) expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 300 }))).ok).toBe(true);
    expect(await activities(projectId, "budget.warning")).toEqual([
      "Budget warning: project daily token budget 1,000 is 50% used. Raise it in Usage → Budgets before it stops the agents.",
    ]);
  });

  it("counts an agent's budget over that agent's calls only, and the project's over all of them", async () => {
    const { projectId, agentId } = await budgetProject();
    const otherAgent = await insertAgent(sql, projectId, "other");
    await addBudget(projectId, { agent_id: agentId, hard_limit: 500, unit: "tokens", period: "month" });
    await record(sql, call(projectId, otherAgent, { agent_key: "other", input_tokens: 400, output_tokens: 0 }));
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 450 }))).ok).toBe(true);
    const refused = await reserve(sql, call(projectId, agentId, { reserved_tokens: 100 }));
    expect(refused.reason).toMatch(/^Budget exceeded: agent @worker monthly token budget 500 \(used 450;/);
    expect((await reserve(sql, call(projectId, otherAgent, { agent_key: "other", reserved_tokens: 5000 }))).ok).toBe(true);
  });

  it("counts a USD budget in cost: reservations priced at the higher price, unknown models at nothing", async () => {
    const { projectId, agentId } = await budgetProject();
    await sql.query(
      "insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, 'gpt-4.1', 2, 8)",
      [projectId],
    );
    await addBudget(projectId, { unit: "usd", hard_limit: 0.01 });
    expect((await reserve(sql, call(projectId, agentId, { model: "gpt-4.1", reserved_tokens: 1000 }))).ok).toBe(true);
    const refused = await reserve(sql, call(projectId, agentId, { model: "gpt-4.1", reserved_tokens: 1000 }));
    expect(refused.reason).toBe(
      "Budget exceeded: project daily USD budget $0.01 (used $0.008; this call needs up to $0.008). Raise it in Usage → Budgets, then retry.",
    );
    expect((await reserve(sql, call(projectId, agentId, { model: "unpriced", reserved_tokens: 1_000_000 }))).ok).toBe(true);
  });

  it("never lets two executors overspend by more than one call each", async () => {
    const { projectId, agentId } = await budgetProject();
    await addBudget(projectId, { hard_limit: 1000, soft_ratio: 0.5 });
    const executors = [sqlPool(), sqlPool()];
    try {
      const run = async (pool: pg.Pool, n: number) => {
        const outcomes: boolean[] = [];
        for (let i = 0; i < 12; i++) {
          const payload = call(projectId, agentId, { reserved_tokens: 300 });
          const answer = await reserve(pool, payload);
          outcomes.push(answer.ok);
          // Finish some calls (using all they reserved) and leave others pending, as calls in flight.
          if (answer.ok && (i + n) % 2 === 0) await record(pool, { ...payload, input_tokens: 200, output_tokens: 100, outcome: "ok" });
        }
        return outcomes;
      };
      const [a, b] = await Promise.all([run(executors[0] as pg.Pool, 0), run(executors[1] as pg.Pool, 1)]);
      const allowed = [...(a ?? []), ...(b ?? [])].filter(Boolean).length;
      expect(allowed).toBe(3);
      expect(await spend(projectId)).toBeLessThanOrEqual(1000);
      const { rows } = await sql.query<{ outcome: string; c: number }>(
        "select outcome, count(*)::int as c from public.provider_calls where project_id = $1 group by outcome order by outcome",
        [projectId],
      );
      expect(rows.find((r) => r.outcome === "budget_exceeded")?.c).toBe(21);
      expect(await activities(projectId, "budget.exceeded")).toHaveLength(1);
      expect(await activities(projectId, "budget.warning")).toHaveLength(1);
    } finally {
      await Promise.all(executors.map((pool) => pool.end()));
    }
  });
});

describe("the delivery pipeline with usage and budgets", () => {
  it("gives the executor the project's agent defaults, the connections it may pick and whether budgets apply", async () => {
    const agentKey = `ctx${crypto.randomUUID().slice(0, 6)}`;
    await insertAgent(sql, f.projectId, agentKey, { tools_enabled: ["create_task"] });
    const first = await sendDm(sql, f, agentKey);
    const [before] = await claimDeliveries(sql, "exec-ctx", first.messageId);
    expect(before?.context).toMatchObject({ agent_defaults: null, connections: [], budgets_apply: false });
    expect(before?.context.agent).toMatchObject({
      agent_key: agentKey,
      provider: null,
      model: null,
      capabilities: [],
      tools_enabled: ["create_task"],
    });

    const { rows } = await sql.query<{ id: string }>(
      "insert into public.provider_connections (project_id, name, kind, cli_command) values ($1, 'Claude Code', 'cli', 'claude -p') returning id",
      [f.projectId],
    );
    const connectionId = rows[0]?.id ?? "";
    await sql.query(
      `insert into public.project_settings (project_id, key, value) values ($1, 'agent_defaults', $2)
       on conflict (project_id, key) do update set value = excluded.value`,
      [f.projectId, { provider: "connection", provider_connection_id: connectionId, model: "sonnet" }],
    );
    await addBudget(f.projectId, { period: "month", hard_limit: 1_000_000 });
    const second = await sendDm(sql, f, agentKey, "again");
    const [after] = await claimDeliveries(sql, "exec-ctx", second.messageId);
    expect(after?.context.agent_defaults).toEqual({ provider: "connection", provider_connection_id: connectionId, model: "sonnet" });
    expect(after?.context.connections).toEqual([
      expect.objectContaining({ id: connectionId, kind: "cli", cli_command: "claude -p", cli_timeout_seconds: 300, ciphertext: null }),
    ]);
    expect(after?.context.budgets_apply).toBe(true);
    // The claim reserved the call the settings name, holding the most it can use (max_context_tokens).
    const reservation = after?.context.reservation as TReserveAnswer;
    expect(reservation).toMatchObject({ ok: true, outcome: "pending", reason: null });
    const held = await sql.query(
      "select provider, connection_id, model, reserved_tokens, delivery_id from public.budget_holds where call_id = $1",
      [reservation.call_id],
    );
    expect(held.rows[0]).toEqual({
      provider: "connection",
      connection_id: connectionId,
      model: "sonnet",
      reserved_tokens: 8000,
      delivery_id: second.deliveryId,
    });
    expect(await callRow(reservation.call_id)).toBeUndefined();
  });

  it("refuses at the claim a call that would pass a hard budget, and holds nothing for it", async () => {
    const { projectId, agentId } = await budgetProject("capped");
    await sql.query("update public.agents set max_context_tokens = 4000 where id = $1", [agentId]);
    await addBudget(projectId, { agent_id: agentId, hard_limit: 5_000 });
    const first = await queueDm(projectId, "capped", "first");
    const second = await queueDm(projectId, "capped", "second");
    const [one] = await claimDeliveries(sql, "exec-capped", first);
    const [two] = await claimDeliveries(sql, "exec-capped", second);
    expect(one?.context.reservation).toMatchObject({ ok: true, outcome: "pending" });
    expect(two?.context.reservation).toMatchObject({ ok: false, outcome: "budget_exceeded" });
    expect(two?.context.reservation).toMatchObject({
      reason: expect.stringMatching(/^Budget exceeded: agent @capped daily token budget 5,000 \(used 4,000; this call needs up to 4,000\)/),
    });
    expect(await spend(projectId)).toBe(4000);
  });

  it("does not wait long at the claim behind a transaction keeping the budget locked: it leaves the reservation to the executor", async () => {
    const { projectId, agentId } = await budgetProject("busy");
    const budgetId = await addBudget(projectId, { agent_id: agentId, hard_limit: 1_000_000 });
    const messageId = await queueDm(projectId, "busy", "hi");
    const holder = await sql.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from public.budgets where id = $1 for update", [budgetId]);
      const [claimed] = await claimDeliveries(sql, "exec-busy", messageId);
      expect(claimed?.context.budgets_apply).toBe(true);
      expect(claimed?.context.reservation).toBeUndefined();
    } finally {
      await holder.query("rollback");
      holder.release();
    }
    expect(await spend(projectId)).toBe(0);
  });

  it("waits at the claim for another executor's reservation to commit, then reserves against what it held", async () => {
    const { projectId, agentId } = await budgetProject("queued");
    const budgetId = await addBudget(projectId, { agent_id: agentId, hard_limit: 10_000, soft_ratio: null });
    const messageId = await queueDm(projectId, "queued", "after you");
    const holder = await sql.connect();
    const claimer = await sql.connect();
    try {
      const { rows } = await claimer.query<{ pid: number }>("select pg_backend_pid() as pid");
      await holder.query("begin");
      expect((await reserve(holder, call(projectId, agentId, { agent_key: "queued", reserved_tokens: 5_000 }))).ok).toBe(true);
      const claim = claimer.query<{ batch: Array<{ context: Record<string, unknown> }> }>(
        "select public.claim_chat_delivery_batch('exec-queued', 10, $1) as batch",
        [messageId],
      );
      await waitForRow("select wait_event_type = 'Lock' as ok from pg_stat_activity where pid = $1", [rows[0]?.pid], "the claim to wait");
      await holder.query("commit");
      const [claimed] = (await claim).rows[0]?.batch ?? [];
      // 5,000 held by the other executor and 8,000 (max_context_tokens) for this call: over the limit.
      expect(claimed?.context.reservation).toMatchObject({ ok: false, outcome: "budget_exceeded", budget_id: budgetId });
    } finally {
      // Closed, not pooled: a failure above may leave a transaction open.
      holder.release(true);
      claimer.release(true);
    }
    expect(await used(budgetId)).toBe(5_000);
  });

  it("stops counting a hold after two hours: its executor died", async () => {
    const { projectId, agentId } = await budgetProject();
    const budgetId = await addBudget(projectId, { hard_limit: 1_000_000 });
    const stale = call(projectId, agentId, { reserved_tokens: 700 });
    await reserve(sql, stale);
    expect(await spend(projectId)).toBe(700);
    expect(await used(budgetId)).toBe(700);
    // As if it had been made long ago.
    await sql.query("update public.budget_holds set created_at = now() - interval '2 hours 1 minute' where call_id = $1", [stale.id]);
    // Whether or not two hours ago is still today (UTC), it no longer counts.
    expect(await spend(projectId)).toBe(0);
    expect(await used(budgetId)).toBe(0);
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 300 }))).ok).toBe(true);
    expect(await used(budgetId)).toBe(300);
  });

  it("records a reply's provider call in the same transaction, even when the reply itself is refused", async () => {
    const agentKey = `rec${crypto.randomUUID().slice(0, 6)}`;
    const agentId = await insertAgent(sql, f.projectId, agentKey);
    const { messageId, deliveryId } = await sendDm(sql, f, agentKey, "price this");
    await claimDeliveries(sql, "exec-rec", messageId);
    await sql.query(
      "insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, 'gpt-4.1-mini', 0.4, 1.6) on conflict do nothing",
      [f.projectId],
    );
    const reserved = {
      id: crypto.randomUUID(),
      project_id: f.projectId,
      agent_id: agentId,
      agent_key: agentKey,
      delivery_id: deliveryId,
      provider: "openai_compatible",
      model: "gpt-4.1-mini",
      reserved_tokens: 2000,
    };
    await reserve(sql, reserved);
    const finished = {
      id: reserved.id,
      agent_id: agentId,
      provider: "openai_compatible",
      model: "gpt-4.1-mini",
      input_tokens: 1000,
      output_tokens: 500,
      estimated: false,
      latency_ms: 42,
      outcome: "ok",
    };
    const lost = {
      id: crypto.randomUUID(),
      agent_id: agentId,
      project_id: f.projectId,
      provider: "builtin",
      model: "builtin-offline",
      input_tokens: 10,
      output_tokens: 5,
      estimated: true,
      outcome: "ok",
    };
    const { rows } = await sql.query("select public.complete_chat_deliveries('exec-rec', $1::jsonb) as r", [
      JSON.stringify([
        { delivery_id: deliveryId, reply: "Here you are", metadata: {}, call: finished },
        { delivery_id: deliveryId, reply: "A second reply whose claim is gone", metadata: {}, call: lost },
      ]),
    ]);
    const saved = rows[0]?.r.saved as Array<{ ok: boolean }>;
    expect(saved.map((s) => s.ok)).toEqual([true, false]);
    expect(await holdRow(reserved.id)).toBeUndefined();
    const { rows: calls } = await sql.query(
      "select id, outcome, delivery_id, project_id, agent_key, input_tokens, output_tokens, latency_ms, cost_usd::float8 from public.provider_calls where id = any ($1) order by input_tokens desc",
      [[reserved.id, lost.id]],
    );
    expect(calls).toEqual([
      {
        id: reserved.id,
        outcome: "ok",
        delivery_id: deliveryId,
        project_id: f.projectId,
        agent_key: agentKey,
        input_tokens: 1000,
        output_tokens: 500,
        latency_ms: 42,
        cost_usd: 0.0012,
      },
      {
        id: lost.id,
        outcome: "ok",
        delivery_id: deliveryId,
        project_id: f.projectId,
        agent_key: null,
        input_tokens: 10,
        output_tokens: 5,
        latency_ms: null,
        cost_usd: 0,
      },
    ]);
  });

  it("shows members usage per day and each budget's spend, and outsiders nothing", async () => {
    const agentKey = `use${crypto.randomUUID().slice(0, 6)}`;
    const agentId = await insertAgent(sql, f.projectId, agentKey);
    await record(sql, call(f.projectId, agentId, { agent_key: agentKey, model: "usage-model", input_tokens: 120, output_tokens: 30 }));
    await record(sql, call(f.projectId, agentId, { agent_key: agentKey, model: "usage-model", input_tokens: 80, output_tokens: 20 }));
    const today = new Date().toISOString().slice(0, 10);
    const usage = await f.viewer.client.rpc("usage_by_day", { p_project_id: f.projectId, p_days: 7, p_agent_id: agentId });
    expect(usage.data).toEqual([
      { day: today, agent_key: agentKey, model: "usage-model", calls: 2, input_tokens: 200, output_tokens: 50, cost_usd: null },
    ]);
    const budgetId = await addBudget(f.projectId, { agent_id: agentId, hard_limit: 1000 });
    const status = await f.viewer.client.rpc("budget_status", { p_project_id: f.projectId });
    expect((status.data as Array<Record<string, unknown>>).find((b) => b.budget_id === budgetId)).toMatchObject({
      agent_key: agentKey,
      period: "day",
      unit: "tokens",
      hard_limit: 1000,
      spent: 250,
      exceeded: false,
    });
    expect((await f.outsider.client.rpc("usage_by_day", { p_project_id: f.projectId })).data).toEqual([]);
    expect((await f.outsider.client.rpc("budget_status", { p_project_id: f.projectId })).data).toEqual([]);
    const reserveAsMember = await f.owner.client.rpc("reserve_provider_call", { p_call: call(f.projectId, agentId) });
    expect(reserveAsMember.error?.code).toBe("42501");
  });
});

describe("reserving a batch of calls", () => {
  it("holds each accepted call's reservation for the next ones of the same batch, and refuses the one that would pass the limit", async () => {
    const { projectId, agentId } = await budgetProject();
    const agentBudget = await addBudget(projectId, { agent_id: agentId, hard_limit: 1_000 });
    const calls = [1, 2, 3, 4].map(() => call(projectId, agentId, { reserved_tokens: 300 }));
    const { rows } = await sql.query<{ r: TReserveAnswer[] }>("select public.reserve_provider_calls($1::jsonb) as r", [
      JSON.stringify(calls),
    ]);
    const answers = rows[0]?.r ?? [];
    expect(answers.map((a) => a.outcome)).toEqual(["pending", "pending", "pending", "budget_exceeded"]);
    expect(answers[3]).toMatchObject({ ok: false, budget_id: agentBudget });
    expect(answers[3]?.reason).toMatch(/^Budget exceeded: agent @worker daily token budget 1,000 \(used 900; this call needs up to 300\)/);
    expect(await spend(projectId)).toBe(900);

    // The same ids again answer what was stored; nothing is reserved twice.
    const again = await sql.query<{ r: TReserveAnswer[] }>("select public.reserve_provider_calls($1::jsonb) as r", [JSON.stringify(calls)]);
    expect(again.rows[0]?.r.map((a) => a.outcome)).toEqual(["pending", "pending", "pending", "budget_exceeded"]);
    expect(await spend(projectId)).toBe(900);
  });

  it("accepts a batch that stays below every soft threshold in one go, holding each call's reservation", async () => {
    const { projectId, agentId } = await budgetProject();
    await addBudget(projectId, { hard_limit: 100_000, soft_ratio: 0.8 });
    await addBudget(projectId, { agent_id: agentId, period: "month", hard_limit: 50_000, soft_ratio: null });
    const calls = [1, 2, 3].map(() => call(projectId, agentId, { reserved_tokens: 1_000 }));
    const { rows } = await sql.query<{ r: TReserveAnswer[] }>("select public.reserve_provider_calls($1::jsonb) as r", [
      JSON.stringify(calls),
    ]);
    expect(rows[0]?.r).toEqual(calls.map((c) => ({ ok: true, call_id: c.id, outcome: "pending", reason: null, budget_id: null })));
    expect(await spend(projectId)).toBe(3_000);
    expect(await holdRow(String(calls[0]?.id))).toMatchObject({ project_id: projectId, agent_id: agentId, reserved_tokens: 1_000 });
    expect(await callRow(String(calls[0]?.id))).toBeUndefined();
    expect(await activities(projectId, "budget.warning")).toEqual([]);
  });

  it("refuses anything but an array", async () => {
    await expect(sql.query("select public.reserve_provider_calls('{}'::jsonb)")).rejects.toThrow(/JSON array of calls/);
  });
});

describe("counting what a budget used", () => {
  /** The budget_usage row of a budget: its period and what it counted there. */
  async function usageRow(budgetId: string): Promise<{ period_start: Date; used_tokens: number } | undefined> {
    const { rows } = await sql.query("select period_start, used_tokens::int from public.budget_usage where budget_id = $1", [budgetId]);
    return rows[0];
  }

  async function deltaCount(budgetId: string): Promise<number> {
    const { rows } = await sql.query<{ c: number }>("select count(*)::int as c from public.budget_usage_deltas where budget_id = $1", [
      budgetId,
    ]);
    return rows[0]?.c ?? -1;
  }

  it("adds each record to a delta, folds the deltas in at the next reservation, and agrees with the sum over provider_calls", async () => {
    const { projectId, agentId } = await budgetProject();
    const budgetId = await addBudget(projectId, { hard_limit: 1_000_000 });
    const calls = [1, 2, 3].map(() => call(projectId, agentId, { reserved_tokens: 300 }));
    for (const payload of calls) expect((await reserve(sql, payload)).ok).toBe(true);
    expect(await usageRow(budgetId)).toMatchObject({ used_tokens: 0 });
    for (const payload of calls.slice(0, 2)) await record(sql, { ...payload, input_tokens: 120, output_tokens: 30, outcome: "ok" });
    expect(await deltaCount(budgetId)).toBe(2);
    // Two finished calls (150 each) and one held (300).
    expect(await used(budgetId)).toBe(600);
    expect(await spend(projectId)).toBe(600);

    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 100 }))).ok).toBe(true);
    expect(await deltaCount(budgetId)).toBe(0);
    expect(await usageRow(budgetId)).toMatchObject({ used_tokens: 300 });
    expect(await used(budgetId)).toBe(700);
    expect(await spend(projectId)).toBe(700);
  });

  it("counts the calls recorded before the budget existed once, from provider_calls", async () => {
    const { projectId, agentId } = await budgetProject();
    await record(sql, call(projectId, agentId, { input_tokens: 300, output_tokens: 100 }));
    const budgetId = await addBudget(projectId, { hard_limit: 1_000, soft_ratio: null });
    const refused = await reserve(sql, call(projectId, agentId, { reserved_tokens: 700 }));
    expect(refused.reason).toMatch(/\(used 400; this call needs up to 700\)/);
    expect(await usageRow(budgetId)).toMatchObject({ used_tokens: 400 });
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 600 }))).ok).toBe(true);
    expect(await used(budgetId)).toBe(1_000);
  });

  it("makes a new budget wait for a call being recorded at that moment, so the call counts", async () => {
    const { projectId, agentId } = await budgetProject();
    const recorder = await sql.connect();
    const creator = await sql.connect();
    try {
      const { rows } = await creator.query<{ pid: number }>("select pg_backend_pid() as pid");
      await recorder.query("begin");
      await recorder.query("select public.record_provider_call($1::jsonb)", [
        call(projectId, agentId, { input_tokens: 400, output_tokens: 0 }),
      ]);
      const created = creator.query<{ id: string }>(
        "insert into public.budgets (project_id, period, unit, hard_limit) values ($1, 'day', 'tokens', 1000) returning id",
        [projectId],
      );
      await waitForRow(
        "select wait_event_type = 'Lock' as ok from pg_stat_activity where pid = $1",
        [rows[0]?.pid],
        "the budget's insert to wait for the record",
      );
      await recorder.query("commit");
      const budgetId = (await created).rows[0]?.id;
      const refused = await reserve(sql, call(projectId, agentId, { reserved_tokens: 700 }));
      expect(refused).toMatchObject({ ok: false, budget_id: budgetId });
      expect(refused.reason).toMatch(/\(used 400; this call needs up to 700\)/);
    } finally {
      // Closed, not pooled: a failure above may leave a transaction open.
      recorder.release(true);
      creator.release(true);
    }
  });

  it("counts a budget moved to another agent again, over that agent's calls only", async () => {
    const { projectId, agentId } = await budgetProject();
    const other = await insertAgent(sql, projectId, "other");
    const budgetId = await addBudget(projectId, { agent_id: agentId, hard_limit: 10_000 });
    await record(sql, call(projectId, agentId, { input_tokens: 300, output_tokens: 0 }));
    await record(sql, call(projectId, other, { agent_key: "other", input_tokens: 500, output_tokens: 0 }));
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 100 }))).ok).toBe(true);
    expect(await used(budgetId)).toBe(400);
    await sql.query("update public.budgets set agent_id = $2 where id = $1", [budgetId, other]);
    expect(await used(budgetId)).toBe(500);
    expect((await reserve(sql, call(projectId, other, { agent_key: "other", reserved_tokens: 100 }))).ok).toBe(true);
    expect(await usageRow(budgetId)).toMatchObject({ used_tokens: 500 });
    expect(await used(budgetId)).toBe(600);
  });

  it("starts a new period from that period's calls, and drops what an earlier period's calls used", async () => {
    const { projectId, agentId } = await budgetProject();
    const budgetId = await addBudget(projectId, { hard_limit: 1_000_000 });
    await record(sql, call(projectId, agentId, { input_tokens: 200, output_tokens: 0 }));
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 10 }))).ok).toBe(true);
    const today = await usageRow(budgetId);
    expect(today).toMatchObject({ used_tokens: 200 });
    // As if the row had been counted yesterday, and a call started yesterday finished since.
    await sql.query(
      "update public.budget_usage set period_start = period_start - interval '1 day', used_tokens = 999999 where budget_id = $1",
      [budgetId],
    );
    await sql.query(
      `insert into public.budget_usage_deltas (budget_id, project_id, period_start, used_tokens, used_usd)
       values ($1, $2, public.budget_period_start('day', now()) - interval '1 day', 5000, 0)`,
      [budgetId, projectId],
    );
    expect((await reserve(sql, call(projectId, agentId, { reserved_tokens: 10 }))).ok).toBe(true);
    expect(await usageRow(budgetId)).toEqual({ period_start: today?.period_start, used_tokens: 200 });
    expect(await deltaCount(budgetId)).toBe(0);
    expect(await used(budgetId)).toBe(220);
  });

  it("lets members read their project's holds and budget usage, outsiders nothing, and nobody write them through the API", async () => {
    const agentKey = `rls${crypto.randomUUID().slice(0, 6)}`;
    const agentId = await insertAgent(sql, f.projectId, agentKey);
    const created = await f.operator.client
      .from("budgets")
      .insert({ project_id: f.projectId, agent_id: agentId, period: "day", unit: "tokens", hard_limit: 50_000 })
      .select("id")
      .single();
    expect(created.error).toBeNull();
    const budgetId = created.data?.id as string;
    const finished = call(f.projectId, agentId, { agent_key: agentKey, reserved_tokens: 100 });
    await reserve(sql, finished);
    await record(sql, { ...finished, input_tokens: 10, output_tokens: 5 });
    const inFlight = call(f.projectId, agentId, { agent_key: agentKey, reserved_tokens: 100 });
    await reserve(sql, inFlight);
    await record(sql, call(f.projectId, agentId, { agent_key: agentKey, input_tokens: 1, output_tokens: 1 }));

    const reads = {
      budget_holds: ["call_id", inFlight.id],
      budget_usage: ["budget_id", budgetId],
      budget_usage_deltas: ["budget_id", budgetId],
    } as const;
    for (const [table, [column, value]] of Object.entries(reads)) {
      const seen = await f.viewer.client.from(table).select(column).eq(column, value);
      expect(seen.data, `${table} for a viewer`).toHaveLength(1);
      expect((await f.outsider.client.from(table).select(column).eq(column, value)).data, `${table} for an outsider`).toEqual([]);
      expect((await anonClient().from(table).select(column).eq(column, value)).data ?? [], `${table} for anon`).toEqual([]);
      const deleted = await f.owner.client.from(table).delete().eq(column, value);
      expect(deleted.error?.code, `${table} deleted by the owner`).toBe("42501");
    }
    const written = await f.owner.client
      .from("budget_holds")
      .insert({ call_id: crypto.randomUUID(), project_id: f.projectId, provider: "builtin", model: "x", reserved_tokens: 1 });
    expect(written.error?.code).toBe("42501");
    expect(await holdRow(String(inFlight.id))).toMatchObject({ reserved_tokens: 100 });
  });
});
