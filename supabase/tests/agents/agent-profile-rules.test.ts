import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent, insertConnection } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, insertProposal, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("profile-rules");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

function key(): string {
  return `p${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

/** The SQLSTATE and constraint of what the operator's insert of an agent with `fields` gets. */
async function insertAsOperator(fields: Record<string, unknown>): Promise<{ code: string | undefined; message: string | undefined }> {
  const { error } = await f.operator.client
    .from("agents")
    .insert({ project_id: f.projectId, agent_key: key(), display_name: "Probe", ...fields });
  return { code: error?.code, message: error?.message };
}

describe("the agents table's profile checks", () => {
  it("leaves model settings null by default, so the agent inherits them", async () => {
    const agentKey = key();
    await insertAgent(sql, f.projectId, agentKey);
    const { rows } = await sql.query(
      "select provider, provider_connection_id, model, temperature, max_context_tokens, max_output_tokens, verbosity, capabilities from public.agents where project_id = $1 and agent_key = $2",
      [f.projectId, agentKey],
    );
    expect(rows[0]).toEqual({
      provider: null,
      provider_connection_id: null,
      model: null,
      temperature: null,
      max_context_tokens: null,
      max_output_tokens: null,
      verbosity: null,
      capabilities: [],
    });
  });

  it("needs a connection exactly when the provider is 'connection'", async () => {
    const connectionId = await insertConnection(sql, f.projectId);
    expect(await insertAsOperator({ provider: "connection", provider_connection_id: connectionId })).toEqual({
      code: undefined,
      message: undefined,
    });
    expect((await insertAsOperator({ provider: "connection" })).message).toContain("agents_connection_matches_provider");
    expect((await insertAsOperator({ provider: "builtin", provider_connection_id: connectionId })).message).toContain(
      "agents_connection_matches_provider",
    );
    expect((await insertAsOperator({ provider_connection_id: connectionId })).code).toBe("23514");
  });

  it("refuses another project's connection", async () => {
    const foreign = await insertConnection(sql, f.otherProjectId);
    expect(await insertAsOperator({ provider: "connection", provider_connection_id: foreign })).toMatchObject({ code: "23503" });
  });

  it("refuses to delete a connection an agent still runs on, with 23503", async () => {
    const connectionId = await insertConnection(sql, f.projectId);
    await insertAgent(sql, f.projectId, key(), { provider: "connection", provider_connection_id: connectionId });
    const { error } = await f.owner.client.from("provider_connections").delete().eq("id", connectionId);
    expect(error?.code).toBe("23503");
    const { rows } = await sql.query("select count(*)::int as c from public.provider_connections where id = $1", [connectionId]);
    expect(rows[0]?.c).toBe(1);
  });

  it.each([
    [["sql", "react", "c++", "node.js", "a_b-c"], undefined],
    [["SQL"], "23514"],
    [["-lead"], "23514"],
    [["with space"], "23514"],
    [["x".repeat(33)], "23514"],
    [Array.from({ length: 21 }, (_, i) => `tag${i}`), "23514"],
  ])("answers capabilities %j with error code %s (none: accepted)", async (capabilities, code) => {
    const answer = await insertAsOperator({ capabilities });
    expect(answer.code).toBe(code);
    if (code) expect(answer.message).toContain("agents_capabilities_check");
  });

  it.each([
    [["create_task", "file_write"], undefined],
    [["create_task", "launch_rockets"], "23514"],
  ])("answers tools_enabled %j with error code %s (none: accepted)", async (tools, code) => {
    expect((await insertAsOperator({ tools_enabled: tools })).code).toBe(code);
  });

  it("keeps the output below the context when both are set", async () => {
    expect((await insertAsOperator({ max_context_tokens: 1000, max_output_tokens: 1000 })).message).toContain("agents_output_fits_context");
    expect((await insertAsOperator({ max_output_tokens: 100_000 })).code).toBeUndefined();
  });

  it("lets the roster show an agent paused by a budget", async () => {
    const agentId = await insertAgent(sql, f.projectId, key());
    await sql.query("update public.agent_status set status = 'paused', current_action = 'Paused: budget exceeded' where agent_id = $1", [
      agentId,
    ]);
    const { data } = await f.viewer.client.from("agent_status").select("status").eq("agent_id", agentId);
    expect(data).toEqual([{ status: "paused" }]);
  });
});

describe("provider connections and agent defaults", () => {
  it.each([
    [{ kind: "openai_compatible", base_url: "https://openrouter.ai/api/v1" }, undefined],
    [{ kind: "openai_compatible" }, "provider_connections_base_url_fits_kind"],
    [{ kind: "openai_compatible", base_url: "ftp://example.test" }, "provider_connections_base_url_check"],
    [{ kind: "anthropic" }, undefined],
    [{ kind: "cli", cli_command: "claude -p", cli_timeout_seconds: 600 }, undefined],
    [{ kind: "cli" }, "provider_connections_cli_command_fits_kind"],
    [{ kind: "cli", cli_command: "codex exec", base_url: "http://127.0.0.1:1" }, "provider_connections_base_url_fits_kind"],
    [{ kind: "anthropic", cli_command: "claude" }, "provider_connections_cli_command_fits_kind"],
    [{ kind: "cli", cli_command: "claude", cli_timeout_seconds: 0 }, "provider_connections_cli_timeout_seconds_check"],
  ])("takes %j, or names the check it breaks (%s)", async (fields, constraint) => {
    const { error } = await f.operator.client
      .from("provider_connections")
      .insert({ project_id: f.projectId, name: `C ${crypto.randomUUID().slice(0, 8)}`, ...fields });
    if (constraint) expect(error?.message).toContain(constraint);
    else expect(error).toBeNull();
  });

  it("refuses agent_defaults that are not an object or name a connection that is not a uuid", async () => {
    const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Defaults', $1) returning id", [
      `defaults-${crypto.randomUUID().slice(0, 8)}`,
    ]);
    const projectId = rows[0]?.id ?? "";
    try {
      for (const value of [[], "builtin", { provider_connection_id: "not-a-uuid" }]) {
        await expect(
          sql.query("insert into public.project_settings (project_id, key, value) values ($1, 'agent_defaults', $2::jsonb)", [
            projectId,
            JSON.stringify(value),
          ]),
        ).rejects.toThrow(/agent_defaults_is_object/);
      }
      await sql.query("insert into public.project_settings (project_id, key, value) values ($1, 'agent_defaults', $2)", [
        projectId,
        { provider: "anthropic", model: "claude-sonnet-4-20250514", provider_connection_id: null },
      ]);
    } finally {
      await sql.query("delete from public.projects where id = $1", [projectId]);
    }
  });
});

describe("tools and risk an agent may propose", () => {
  it("refuses an action outside the agent's tools, saying which tools it has and what to do", async () => {
    const agentKey = key();
    await insertAgent(sql, f.projectId, agentKey, { tools_enabled: ["create_task"], risk_tolerance: "high" });
    await expect(insertProposal(sql, f.projectId, { proposed_by_agent_key: agentKey, action_type: "file_write" })).rejects.toThrow(
      `@${agentKey} may not use file_write (its tools: create_task); an operator can enable it on the agent's page`,
    );
    const id = await insertProposal(sql, f.projectId, {
      proposed_by_agent_key: agentKey,
      action_type: "create_task",
      params: { title: "Allowed" },
      risk: "high",
    });
    expect(id).not.toBe("");
  });

  it("refuses an agent with no tools any action", async () => {
    const agentKey = key();
    // New agents may read by default; this one was given no tools at all.
    await insertAgent(sql, f.projectId, agentKey, { tools_enabled: [] });
    await expect(
      insertProposal(sql, f.projectId, {
        proposed_by_agent_key: agentKey,
        action_type: "create_task",
        params: { title: "x" },
        risk: "low",
      }),
    ).rejects.toThrow("(its tools: none)");
  });

  it.each([
    ["low", "low", true],
    ["low", "medium", false],
    ["medium", "medium", true],
    ["medium", "high", false],
    ["high", "high", true],
  ])("with risk tolerance %s, takes a %s risk proposal: %s", async (tolerance, risk, allowed) => {
    const agentKey = key();
    await insertAgent(sql, f.projectId, agentKey, { tools_enabled: ["file_write"], risk_tolerance: tolerance });
    const attempt = insertProposal(sql, f.projectId, { proposed_by_agent_key: agentKey, risk });
    if (allowed) expect(await attempt).not.toBe("");
    else
      await expect(attempt).rejects.toMatchObject({
        code: "23514",
        message: `@${agentKey} may propose actions up to ${tolerance} risk; this file_write proposal is ${risk} risk`,
      });
  });
});
