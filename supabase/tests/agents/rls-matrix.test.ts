import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCiphertext, insertAgent, insertConnection, storeSecret } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("agents-rls");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TActor = "anon" | "viewer" | "operator" | "owner" | "outsider";
type TOp = "select" | "insert" | "update" | "delete";
const ACTORS: TActor[] = ["anon", "viewer", "operator", "owner", "outsider"];
const OPS: TOp[] = ["select", "insert", "update", "delete"];

function actor(name: TActor): { client: SupabaseClient; userId: string } {
  if (name === "anon") return { client: anonClient(), userId: crypto.randomUUID() };
  return f[name];
}

/** A unique value for a text column that must look like an agent key or a model name. */
function token(): string {
  return `k${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

/** A unique numeric marker (budgets have no text column to mark). */
function amount(): string {
  return String(1_000_000 + crypto.randomInt(1, 900_000_000));
}

interface TTableCase {
  /** The column a row is found by (its primary key, or one unique to the row). */
  key: string;
  /** The column the test writes a unique marker into. */
  marker: string;
  /** A fresh marker value. */
  newMarker: () => string;
  /** The marker an allowed update writes. */
  changed: (marker: string) => string;
  /** Inserts one row as the superuser with the marker; returns its key. */
  seed: (marker: string) => Promise<string>;
  /** A row the actor would insert through the API. */
  row: (marker: string, userId: string) => Promise<Record<string, unknown>>;
  /** Who may do what; everyone else is denied. */
  allowed: Record<TOp, TActor[]>;
}

const members: TActor[] = ["viewer", "operator", "owner"];
const operators: TActor[] = ["operator", "owner"];
const nobody: TActor[] = [];

const TABLES: Record<string, TTableCase> = {
  provider_connections: {
    key: "id",
    marker: "name",
    newMarker: token,
    changed: (m) => `${m}-renamed`,
    seed: (m) => insertConnection(sql, f.projectId, { name: m }),
    row: async (m) => ({ project_id: f.projectId, name: m, kind: "anthropic" }),
    allowed: { select: members, insert: operators, update: operators, delete: ["owner"] },
  },
  provider_connection_secrets: {
    key: "connection_id",
    marker: "ciphertext",
    newMarker: fakeCiphertext,
    changed: () => fakeCiphertext(),
    seed: async (m) => {
      const id = await insertConnection(sql, f.projectId);
      await storeSecret(sql, f.projectId, id, m);
      return id;
    },
    row: async (m) => ({ connection_id: await insertConnection(sql, f.projectId), project_id: f.projectId, ciphertext: m }),
    allowed: { select: nobody, insert: nobody, update: nobody, delete: nobody },
  },
  model_prices: {
    key: "model",
    marker: "model",
    newMarker: token,
    changed: (m) => `${m}-v2`,
    seed: async (m) => {
      await sql.query(
        "insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, $2, 1, 2)",
        [f.projectId, m],
      );
      return m;
    },
    row: async (m) => ({ project_id: f.projectId, model: m, input_usd_per_mtok: 1, output_usd_per_mtok: 2 }),
    allowed: { select: members, insert: operators, update: operators, delete: ["owner"] },
  },
  budgets: {
    key: "id",
    marker: "hard_limit",
    newMarker: amount,
    changed: (m) => String(Number(m) + 1),
    // One budget per scope and period: each row gets an agent of its own.
    seed: async (m) => {
      const agentId = await insertAgent(sql, f.projectId, token());
      const { rows } = await sql.query<{ id: string }>(
        "insert into public.budgets (project_id, agent_id, period, unit, hard_limit) values ($1, $2, 'day', 'tokens', $3) returning id",
        [f.projectId, agentId, m],
      );
      return rows[0]?.id ?? "";
    },
    row: async (m) => ({
      project_id: f.projectId,
      agent_id: await insertAgent(sql, f.projectId, token()),
      period: "month",
      unit: "usd",
      hard_limit: Number(m),
      soft_ratio: 0.5,
    }),
    allowed: { select: members, insert: operators, update: operators, delete: ["owner"] },
  },
  agent_provision_requests: {
    key: "id",
    marker: "agent_key",
    newMarker: token,
    changed: (m) => `${m}x`,
    seed: async (m) => {
      const { rows } = await sql.query<{ id: string }>(
        "insert into public.agent_provision_requests (project_id, action, agent_key, profile) values ($1, 'create', $2, '{}') returning id",
        [f.projectId, m],
      );
      return rows[0]?.id ?? "";
    },
    row: async (m, userId) => ({
      project_id: f.projectId,
      action: "create",
      agent_key: m,
      profile: { agent_key: m, display_name: m },
      requested_by: userId,
    }),
    allowed: { select: members, insert: operators, update: nobody, delete: nobody },
  },
  provider_calls: {
    key: "id",
    marker: "model",
    newMarker: token,
    changed: (m) => `${m}-v2`,
    seed: async (m) => {
      const { rows } = await sql.query<{ id: string }>(
        `insert into public.provider_calls (id, project_id, agent_key, provider, model, input_tokens, output_tokens, outcome, finished_at)
         values (gen_random_uuid(), $1, 'builder', 'builtin', $2, 10, 5, 'ok', now()) returning id`,
        [f.projectId, m],
      );
      return rows[0]?.id ?? "";
    },
    row: async (m) => ({
      id: crypto.randomUUID(),
      project_id: f.projectId,
      provider: "builtin",
      model: m,
      outcome: "ok",
      finished_at: new Date().toISOString(),
    }),
    allowed: { select: members, insert: nobody, update: nobody, delete: nobody },
  },
};

const cases = Object.keys(TABLES).flatMap((table) =>
  OPS.flatMap((op) => ACTORS.map((who) => ({ table, op, who, allowed: TABLES[table]?.allowed[op].includes(who) ?? false }))),
);

async function countWhere(table: string, column: string, value: string): Promise<number> {
  const { rows } = await sql.query<{ c: number }>(`select count(*)::int as c from public.${table} where ${column} = $1`, [value]);
  return rows[0]?.c ?? -1;
}

describe("row level security of the agent, provider and usage tables", () => {
  it.each(cases)("$table: $op by $who is allowed: $allowed", async ({ table, op, who, allowed }) => {
    const t = TABLES[table];
    if (!t) throw new Error(table);
    const { client, userId } = actor(who);
    const marker = t.newMarker();

    if (op === "insert") {
      const { error } = await client.from(table).insert(await t.row(marker, userId));
      if (allowed) expect(error).toBeNull();
      else expect(error?.code).toBe("42501");
      expect(await countWhere(table, t.marker, marker)).toBe(allowed ? 1 : 0);
      return;
    }

    const key = await t.seed(marker);
    if (op === "select") {
      const { data, error } = await client.from(table).select(t.key).eq(t.key, key);
      if (allowed) expect(data).toEqual([{ [t.key]: key }]);
      else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      return;
    }
    if (op === "update") {
      const changed = t.changed(marker);
      const { data, error } = await client
        .from(table)
        .update({ [t.marker]: changed })
        .eq(t.key, key)
        .select(t.marker);
      if (allowed) expect(data).toEqual([{ [t.marker]: t.marker === "hard_limit" ? Number(changed) : changed }]);
      else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
      expect(await countWhere(table, t.marker, marker)).toBe(allowed ? 0 : 1);
      expect(await countWhere(table, t.marker, changed)).toBe(allowed ? 1 : 0);
      return;
    }
    const { data, error } = await client.from(table).delete().eq(t.key, key).select(t.key);
    if (allowed) expect(data).toEqual([{ [t.key]: key }]);
    else expect(error?.code === "42501" || (error === null && data?.length === 0)).toBe(true);
    expect(await countWhere(table, t.key, key)).toBe(allowed ? 0 : 1);
  });

  it("keeps budget alerts to the service role: members neither read nor write them", async () => {
    const agentId = await insertAgent(sql, f.projectId, token());
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.budgets (project_id, agent_id, period, unit, hard_limit) values ($1, $2, 'day', 'tokens', 10) returning id",
      [f.projectId, agentId],
    );
    const budgetId = rows[0]?.id ?? "";
    await sql.query("insert into public.budget_alerts (budget_id, period_start, level) values ($1, now(), 'soft')", [budgetId]);
    for (const who of ACTORS) {
      const { client } = actor(who);
      const read = await client.from("budget_alerts").select("budget_id").eq("budget_id", budgetId);
      expect(read.error?.code === "42501" || (read.error === null && read.data?.length === 0)).toBe(true);
      const write = await client
        .from("budget_alerts")
        .insert({ budget_id: budgetId, period_start: new Date().toISOString(), level: "hard" });
      expect(write.error?.code).toBe("42501");
    }
    expect(await countWhere("budget_alerts", "budget_id", budgetId)).toBe(1);
  });

  it("refuses a budget for an agent of another project", async () => {
    const foreignAgent = await insertAgent(sql, f.otherProjectId, token());
    const { error } = await f.operator.client
      .from("budgets")
      .insert({ project_id: f.projectId, agent_id: foreignAgent, period: "day", unit: "tokens", hard_limit: 5 });
    expect(error?.code).toBe("23503");
    expect(await countWhere("budgets", "agent_id", foreignAgent)).toBe(0);
  });

  it("refuses a second budget for the same scope, period and unit, the project-wide one included", async () => {
    const first = await f.operator.client.from("budgets").insert({ project_id: f.projectId, period: "day", unit: "usd", hard_limit: 5 });
    expect(first.error).toBeNull();
    const second = await f.operator.client.from("budgets").insert({ project_id: f.projectId, period: "day", unit: "usd", hard_limit: 9 });
    expect(second.error?.code).toBe("23505");
  });
});
