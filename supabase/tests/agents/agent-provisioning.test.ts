import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent, insertConnection } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("provisioning");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TAnswer = { request_id: string; status: string; agent_id: string | null; error: string | null };

function key(): string {
  return `a${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

/** Writes a request through the RPC as `client` and returns its id (or the error). */
async function request(
  client: SupabaseClient,
  action: "create" | "update" | "delete",
  agentKey: string,
  profile: Record<string, unknown> = {},
  id: string = crypto.randomUUID(),
): Promise<{ id: string; error: { code?: string; message: string } | null; data: Record<string, unknown> | null }> {
  const { data, error } = await client.rpc("request_agent_provision", {
    p_id: id,
    p_project_id: f.projectId,
    p_action: action,
    p_agent_key: agentKey,
    p_profile: profile,
  });
  return { id, error, data: data as Record<string, unknown> | null };
}

/** What the executor does after validating the profile: apply it with the service role. */
async function apply(id: string, profile: Record<string, unknown> | null = null): Promise<TAnswer> {
  const { data, error } = await serviceClient().rpc("apply_agent_provision_request", {
    p_id: id,
    p_profile: profile,
    p_executor_id: "exec-a",
  });
  if (error) throw new Error(`apply failed: ${error.message}`);
  return data as TAnswer;
}

async function agentRow(agentKey: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql.query("select * from public.agents where project_id = $1 and agent_key = $2", [f.projectId, agentKey]);
  return rows[0];
}

async function createAgent(agentKey: string, profile: Record<string, unknown> = {}): Promise<string> {
  const created = await request(f.operator.client, "create", agentKey, { agent_key: agentKey, display_name: agentKey, ...profile });
  const answer = await apply(created.id);
  expect(answer.status).toBe("applied");
  return answer.agent_id ?? "";
}

describe("who may request agent changes", () => {
  it("lets an operator request a create and an update, and an owner a delete", async () => {
    const agentKey = key();
    await insertAgent(sql, f.projectId, agentKey);
    for (const [client, action] of [
      [f.operator.client, "create"],
      [f.operator.client, "update"],
      [f.owner.client, "delete"],
    ] as const) {
      const { error, data, id } = await request(client, action, action === "create" ? key() : agentKey);
      expect(error).toBeNull();
      expect(data).toMatchObject({ id, status: "queued", action });
    }
  });

  it("refuses a delete requested by an operator, and any request by a viewer or an outsider", async () => {
    const agentKey = key();
    await insertAgent(sql, f.projectId, agentKey);
    const attempts = [
      await request(f.operator.client, "delete", agentKey),
      await request(f.viewer.client, "update", agentKey, { role: "x" }),
      await request(f.outsider.client, "create", key()),
    ];
    for (const attempt of attempts) {
      expect(attempt.error?.code).toBe("42501");
      const { rows } = await sql.query("select 1 from public.agent_provision_requests where id = $1", [attempt.id]);
      expect(rows).toEqual([]);
    }
  });

  it("refuses a request written as already applied, or in someone else's name", async () => {
    const forged = [
      { status: "applied", applied_at: new Date().toISOString(), requested_by: f.operator.userId },
      { requested_by: f.owner.userId },
    ];
    for (const fields of forged) {
      const { error } = await f.operator.client
        .from("agent_provision_requests")
        .insert({ project_id: f.projectId, action: "create", agent_key: key(), ...fields });
      expect(error?.code).toBe("42501");
    }
    const update = await f.owner.client
      .from("agent_provision_requests")
      .update({ status: "applied" })
      .eq("project_id", f.projectId)
      .select("id");
    expect(update.error?.code === "42501" || update.data?.length === 0).toBe(true);
  });

  it("returns the stored request when the same id is sent again", async () => {
    const id = crypto.randomUUID();
    const first = await request(f.operator.client, "create", key(), { display_name: "First" }, id);
    const again = await request(f.operator.client, "create", key(), { display_name: "Second" }, id);
    expect(again.data).toEqual(first.data);
    const { rows } = await sql.query("select count(*)::int as c from public.agent_provision_requests where id = $1", [id]);
    expect(rows[0]?.c).toBe(1);
  });

  it("keeps applying to the executor: members cannot call it", async () => {
    const { id } = await request(f.operator.client, "create", key(), { display_name: "Nope" });
    const { error } = await f.owner.client.rpc("apply_agent_provision_request", { p_id: id, p_profile: null, p_executor_id: "me" });
    expect(error?.code).toBe("42501");
    const { rows } = await sql.query("select status from public.agent_provision_requests where id = $1", [id]);
    expect(rows[0]?.status).toBe("queued");
  });
});

describe("apply_agent_provision_request", () => {
  it("creates the agent with its whole profile, its status row and an activity", async () => {
    const agentKey = key();
    const connectionId = await insertConnection(sql, f.projectId);
    const profile = {
      agent_key: agentKey,
      display_name: "Backend",
      role: "Builds the API",
      system_prompt: "Be careful.",
      tools_enabled: ["file_write", "create_task"],
      risk_tolerance: "medium",
      capabilities: ["sql", "typescript"],
      provider: "connection",
      provider_connection_id: connectionId,
      model: "gpt-4o-mini",
      temperature: 0.4,
      max_context_tokens: 32000,
      max_output_tokens: 2000,
      verbosity: "concise",
    };
    const { id } = await request(f.operator.client, "create", agentKey, profile);
    const answer = await apply(id, profile);
    expect(answer).toMatchObject({ request_id: id, status: "applied", error: null });
    const agent = await agentRow(agentKey);
    expect(agent).toMatchObject({ ...profile, id: answer.agent_id, temperature: "0.40", enabled: true });
    const { rows: status } = await sql.query("select status from public.agent_status where agent_id = $1", [answer.agent_id]);
    expect(status).toEqual([{ status: "offline" }]);
    const { rows: feed } = await sql.query(
      "select kind, actor_type, actor, summary from public.activities where ref ->> 'request_id' = $1",
      [id],
    );
    expect(feed).toEqual([
      { kind: "agent.created", actor_type: "user", actor: f.operator.userId, summary: `Created agent @${agentKey} (Backend)` },
    ]);
  });

  it("updates only the fields present in the profile", async () => {
    const agentKey = key();
    const agentId = await createAgent(agentKey, { role: "Keeps this", model: "gpt-4.1", temperature: 0.3, capabilities: ["react"] });
    const { id } = await request(f.operator.client, "update", agentKey, { model: null, capabilities: ["react", "css"], enabled: false });
    expect(await apply(id)).toMatchObject({ status: "applied", agent_id: agentId });
    expect(await agentRow(agentKey)).toMatchObject({
      id: agentId,
      role: "Keeps this",
      temperature: "0.30",
      model: null,
      capabilities: ["react", "css"],
      enabled: false,
    });
    const { rows } = await sql.query("select summary from public.activities where ref ->> 'request_id' = $1", [id]);
    expect(rows[0]?.summary).toBe(`Updated agent @${agentKey} (capabilities, enabled, model)`);
  });

  it("renames an agent, and its docs, DM thread, queued deliveries and tasks follow", async () => {
    const oldKey = key();
    const newKey = key();
    await createAgent(oldKey);
    await sql.query(
      "insert into public.brain_docs (project_id, agent_key, doc_type, title, content) values ($1, $2, 'memory', 'Memory', 'Remember')",
      [f.projectId, oldKey],
    );
    await sql.query(
      `insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title) values ($1, 'dm', 'DM:' || $2, $2, 'DM with ' || $2)`,
      [f.projectId, oldKey],
    );
    const taskId = await insertTask(sql, f.projectId, { assignee_agent_key: oldKey, status: "assigned" });
    const { id } = await request(f.operator.client, "update", oldKey, { agent_key: newKey });
    expect((await apply(id)).status).toBe("applied");
    expect(await agentRow(oldKey)).toBeUndefined();
    expect(await agentRow(newKey)).toBeDefined();
    const { rows } = await sql.query(
      `select (select agent_key from public.brain_docs where project_id = $1 and doc_type = 'memory' and agent_key in ($2, $3)) as doc,
              (select thread_key from public.project_chat_threads where project_id = $1 and agent_key in ($2, $3)) as thread,
              (select assignee_agent_key from public.tasks where id = $4) as assignee`,
      [f.projectId, oldKey, newKey, taskId],
    );
    expect(rows[0]).toEqual({ doc: newKey, thread: `DM:${newKey}`, assignee: newKey });
  });

  it("deletes an agent and keeps its id on the request", async () => {
    const agentKey = key();
    const agentId = await createAgent(agentKey);
    const { id } = await request(f.owner.client, "delete", agentKey);
    expect(await apply(id)).toEqual({ request_id: id, status: "applied", agent_id: agentId, error: null });
    expect(await agentRow(agentKey)).toBeUndefined();
    const { rows } = await sql.query("select kind, summary from public.activities where ref ->> 'request_id' = $1", [id]);
    expect(rows).toEqual([{ kind: "agent.removed", summary: `Removed agent @${agentKey}` }]);
  });

  it("marks a create for a key that exists failed with a sentence, and records why", async () => {
    const agentKey = key();
    await createAgent(agentKey);
    const { id } = await request(f.operator.client, "create", agentKey, { agent_key: agentKey, display_name: "Twin" });
    const answer = await apply(id);
    expect(answer).toEqual({
      request_id: id,
      status: "failed",
      agent_id: null,
      error: `An agent with key ${agentKey} already exists in this project: pick another key`,
    });
    const { rows } = await sql.query("select kind from public.activities where ref ->> 'request_id' = $1", [id]);
    expect(rows).toEqual([{ kind: "agent.provision_failed" }]);
  });

  it("marks a rename onto a taken key, another project's connection and a broken check failed with sentences", async () => {
    const agentKey = key();
    const taken = key();
    await createAgent(agentKey);
    await createAgent(taken);
    const foreign = await insertConnection(sql, f.otherProjectId);
    const cases = [
      [{ agent_key: taken }, `An agent with key ${taken} already exists in this project: pick another key`],
      [{ provider: "connection", provider_connection_id: foreign }, "The provider connection is not one of this project's connections"],
      [{ provider: "connection" }, 'A provider connection is needed exactly when the provider is "connection"'],
      [{ max_context_tokens: 1000, max_output_tokens: 2000 }, "The max output tokens must be smaller than the max context tokens"],
      [{ capabilities: ["Not A Tag"] }, "Capabilities must be at most 20 tags"],
      [{ tools_enabled: ["launch_rockets"] }, "Tools enabled lists a tool that does not exist"],
      [{ temperature: 7 }, "The profile was refused:"],
    ] as const;
    for (const [profile, sentence] of cases) {
      const { id } = await request(f.operator.client, "update", agentKey, profile);
      const answer = await apply(id);
      expect(answer.status).toBe("failed");
      expect(answer.error).toContain(sentence);
    }
    expect(await agentRow(agentKey)).toMatchObject({ agent_key: agentKey, provider: null, capabilities: [] });
  });

  it("applies requests for one agent in the order they were made", async () => {
    const agentKey = key();
    await createAgent(agentKey);
    const older = await request(f.operator.client, "update", agentKey, { role: "older" });
    const newer = await request(f.operator.client, "update", agentKey, { role: "newer" });
    expect(await apply(newer.id)).toMatchObject({ status: "queued" });
    expect(await apply(older.id)).toMatchObject({ status: "applied" });
    expect(await apply(newer.id)).toMatchObject({ status: "applied" });
    expect((await agentRow(agentKey))?.role).toBe("newer");
  });

  it("is idempotent: applying an applied request again changes nothing", async () => {
    const agentKey = key();
    const { id } = await request(f.operator.client, "create", agentKey, { agent_key: agentKey, display_name: "Once" });
    const first = await apply(id);
    const again = await apply(id, { agent_key: agentKey, display_name: "Twice" });
    expect(again).toEqual(first);
    expect((await agentRow(agentKey))?.display_name).toBe("Once");
    const { rows } = await sql.query("select count(*)::int as c from public.activities where ref ->> 'request_id' = $1", [id]);
    expect(rows[0]?.c).toBe(1);
  });

  it("answers a missing request with PT404", async () => {
    const { error } = await serviceClient().rpc("apply_agent_provision_request", {
      p_id: crypto.randomUUID(),
      p_profile: null,
      p_executor_id: "x",
    });
    expect(error?.code).toBe("PT404");
  });

  it("refuses to update an agent that does not exist, in words", async () => {
    const ghost = key();
    const { id } = await request(f.operator.client, "update", ghost, { role: "x" });
    const answer = await apply(id);
    expect(answer.status).toBe("failed");
    expect(answer.error).toBe(`Agent @${ghost} does not exist in this project (it was removed or renamed): reload the page`);
  });
});

describe("the executor's other provisioning functions", () => {
  it("fails a request the executor's validation refused, once", async () => {
    const { id } = await request(f.operator.client, "create", key(), { display_name: "" });
    const { data } = await serviceClient().rpc("fail_agent_provision_request", {
      p_id: id,
      p_error: "display_name is required",
      p_executor_id: "exec-a",
    });
    expect(data).toEqual({ request_id: id, status: "failed", agent_id: null, error: "display_name is required" });
    expect(await apply(id)).toEqual(data);
    const { rows } = await sql.query("select applied_by from public.agent_provision_requests where id = $1", [id]);
    expect(rows[0]?.applied_by).toBe("exec-a");
  });

  it("lists queued requests oldest first", async () => {
    const a = await request(f.operator.client, "create", key(), { display_name: "A" });
    const b = await request(f.operator.client, "create", key(), { display_name: "B" });
    const { data, error } = await serviceClient().rpc("claim_queued_provision_requests", { p_limit: 500 });
    expect(error).toBeNull();
    const ids = (data as string[]).filter((id) => id === a.id || id === b.id);
    expect(ids).toEqual([a.id, b.id]);
  });
});
