import crypto from "node:crypto";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDeliveries, insertAgent, insertConnection, sendDm, storeSecret } from "../../testing/agent-fixtures.ts";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { subscribeChannel, waitUntil } from "../../testing/realtime-test-stack.ts";
import { restFetch } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let connectionId: string;
let ciphertext: string;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("key-secrecy");
  connectionId = await insertConnection(sql, f.projectId, { name: "OpenRouter" });
  ciphertext = await storeSecret(sql, f.projectId, connectionId);
  await insertAgent(sql, f.projectId, "keyed", { provider: "connection", provider_connection_id: connectionId });
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

async function tokenOf(client: SupabaseClient): Promise<string> {
  const { data } = await client.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new Error("the test member has no session");
  return token;
}

/** A raw REST request as a signed-in member (or anon, without a token); answers the status and the body's text. */
async function restAs(client: SupabaseClient | null, path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const headers = new Headers(init.headers);
  if (client) headers.set("authorization", `Bearer ${await tokenOf(client)}`);
  const response = await restFetch(path, { ...init, headers, key: stackInfo().anonKey });
  return { status: response.status, text: await response.text() };
}

const rpc = (name: string, body: Record<string, unknown>): [string, RequestInit] => [
  `/rpc/${name}`,
  { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
];

describe("a provider key after the executor stored it", () => {
  it("is readable by the service role only", async () => {
    const service = await serviceClient().from("provider_connection_secrets").select("ciphertext").eq("connection_id", connectionId);
    expect(service.data).toEqual([{ ciphertext }]);
    for (const member of [f.owner, f.operator, f.viewer, f.outsider]) {
      const { data, error } = await member.client.from("provider_connection_secrets").select("*");
      expect(error?.code).toBe("42501");
      expect(data).toBeNull();
    }
  });

  it.each([
    ["the connection with select=*", () => `/provider_connections?select=*&id=eq.${connectionId}`],
    [
      "the connection with its secret embedded",
      () => `/provider_connections?select=*,provider_connection_secrets(*)&id=eq.${connectionId}`,
    ],
    ["the secret embedding its connection", () => `/provider_connection_secrets?select=*,provider_connections(*)`],
    ["an agent embedding its connection", () => `/agents?select=*,provider_connections(*)&project_id=eq.${f.projectId}`],
    [
      "the project embedding its connections",
      () => `/projects?select=*,provider_connections(*,provider_connection_secrets(*))&id=eq.${f.projectId}`,
    ],
  ])("never appears in a member's REST answer for %s", async (_what, path) => {
    for (const member of [f.owner, f.operator, f.viewer, f.outsider, null]) {
      const answer = await restAs(member?.client ?? null, path());
      expect(answer.text).not.toContain(ciphertext);
    }
    const owner = await restAs(f.owner.client, `/provider_connections?select=*&id=eq.${connectionId}`);
    expect(owner.status).toBe(200);
    const [row] = JSON.parse(owner.text) as Array<Record<string, unknown>>;
    expect(row?.key_last4).toBe("wxyz");
    expect(Object.keys(row ?? {})).not.toContain("ciphertext");
  });

  it("never appears in the answer of an RPC a member can call, and the executor-only ones refuse members", async () => {
    const { messageId } = await sendDm(sql, f, "keyed");
    const calls = [
      rpc("budget_status", { p_project_id: f.projectId }),
      rpc("usage_by_day", { p_project_id: f.projectId }),
      rpc("claim_chat_delivery_batch", { p_executor_id: "member", p_limit: 10, p_message_id: messageId }),
      rpc("load_chat_delivery_context", { p_delivery_id: crypto.randomUUID() }),
    ];
    for (const member of [f.owner, f.operator, f.viewer]) {
      for (const [path, init] of calls) {
        const answer = await restAs(member.client, path, init);
        expect(answer.text).not.toContain(ciphertext);
        if (path.includes("claim") || path.includes("load_chat")) expect(answer.status).toBe(403);
      }
    }
  });

  it("is in the executor's claimed delivery context, next to the agent's connection", async () => {
    const { messageId } = await sendDm(sql, f, "keyed", "Which key?");
    const [claimed] = await claimDeliveries(sql, "executor-secrecy", messageId);
    const connections = claimed?.context.connections as Array<Record<string, unknown>>;
    expect(connections.map((c) => [c.id, c.ciphertext])).toEqual([[connectionId, ciphertext]]);
  });

  it("never travels in a realtime payload to a member, and its table cannot be subscribed to", async () => {
    const payloads: string[] = [];
    const channels: RealtimeChannel[] = [];
    for (const [i, member] of [f.owner, f.viewer].entries()) {
      await member.client.realtime.setAuth(await tokenOf(member.client));
      // Every change of the public schema this member may see.
      const channel = member.client
        .channel(`secrecy-${i}-${crypto.randomUUID().slice(0, 8)}`)
        .on("postgres_changes", { event: "*", schema: "public" }, (payload) => payloads.push(JSON.stringify(payload)));
      channels.push(await subscribeChannel(channel));
    }
    const refusals: Array<{ status: string; message: string }> = [];
    const secrets = f.owner.client
      .channel(`secrets-${crypto.randomUUID().slice(0, 8)}`)
      .on("postgres_changes", { event: "*", schema: "public", table: "provider_connection_secrets" }, (payload) =>
        payloads.push(JSON.stringify(payload)),
      )
      .on("system", {}, (message: { status: string; message: string }) => refusals.push(message));
    channels.push(secrets);
    secrets.subscribe();
    await waitUntil(() => refusals.some((r) => r.status === "error"), "the refusal of a subscription to the secrets table");
    expect(refusals.find((r) => r.status === "error")?.message).toMatch(/^Unable to subscribe to changes/);
    try {
      const rotated = await storeSecret(sql, f.projectId, connectionId);
      await sql.query("update public.provider_connections set name = 'OpenRouter (rotated)' where id = $1", [connectionId]);
      await sql.query("update public.agents set role = 'Keeps the key' where project_id = $1 and agent_key = 'keyed'", [f.projectId]);
      // Changes arrive in commit order: once the agent's update is in, the secret's writes before it were dispatched.
      await waitUntil(
        () => payloads.filter((p) => p.includes("Keeps the key")).length === 2,
        "the agent's update for both members",
        10_000,
      );
      expect(payloads.filter((p) => p.includes("OpenRouter (rotated)"))).toHaveLength(2);
      expect(payloads.filter((p) => p.includes('"wxyz"')).length).toBeGreaterThanOrEqual(2);
      for (const payload of payloads) {
        expect(payload).not.toContain(rotated);
        expect(payload).not.toContain(ciphertext);
      }
    } finally {
      for (const channel of channels) await channel.unsubscribe();
    }
  });
});

describe("key_last4 and key_updated_at", () => {
  it("cannot be set by a member creating a connection", async () => {
    const name = `Forged ${crypto.randomUUID().slice(0, 8)}`;
    const { error } = await f.operator.client
      .from("provider_connections")
      .insert({ project_id: f.projectId, name, kind: "anthropic", key_last4: "abcd", key_updated_at: new Date().toISOString() });
    expect(error?.code).toBe("42501");
    expect(error?.message).toContain("set by the executor");
    const { rows } = await sql.query("select count(*)::int as c from public.provider_connections where name = $1", [name]);
    expect(rows[0]?.c).toBe(0);
  });

  it.each([
    ["key_last4", "abcd"],
    ["key_updated_at", "2030-01-01T00:00:00Z"],
  ])("cannot be changed by an owner (%s), while other fields can", async (column, value) => {
    const forged = await f.owner.client
      .from("provider_connections")
      .update({ [column]: value })
      .eq("id", connectionId);
    expect(forged.error?.code).toBe("42501");
    const { rows } = await sql.query("select key_last4 from public.provider_connections where id = $1", [connectionId]);
    expect(rows[0]?.key_last4).toBe("wxyz");
    const renamed = await f.owner.client
      .from("provider_connections")
      .update({ default_model: "gpt-4o-mini" })
      .eq("id", connectionId)
      .select("default_model");
    expect(renamed.data).toEqual([{ default_model: "gpt-4o-mini" }]);
  });

  it("can be set and cleared by the service role", async () => {
    const db = serviceClient();
    const set = await db.from("provider_connections").update({ key_last4: "1234" }).eq("id", connectionId).select("key_last4");
    expect(set.data).toEqual([{ key_last4: "1234" }]);
    const cleared = await db.from("provider_connections").update({ key_last4: "wxyz" }).eq("id", connectionId).select("key_last4");
    expect(cleared.data).toEqual([{ key_last4: "wxyz" }]);
  });
});
