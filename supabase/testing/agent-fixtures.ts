import crypto from "node:crypto";
import type pg from "pg";
import type { TProjectFixture } from "./project-fixture.ts";

/** Inserts a row as the superuser (what the executor or a migration does) and returns the named column of it. */
async function insertRow(sql: pg.Pool, table: string, row: Record<string, unknown>, returning = "id"): Promise<string> {
  const cols = Object.keys(row);
  const values = Object.values(row).map((v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) ? JSON.stringify(v) : v,
  );
  const { rows } = await sql.query<Record<string, string>>(
    `insert into public.${table} (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")}) returning ${returning}`,
    values,
  );
  return rows[0]?.[returning] ?? "";
}

/** Inserts an OpenAI-compatible provider connection (unless `fields` say otherwise) and returns its id. */
export function insertConnection(sql: pg.Pool, projectId: string, fields: Record<string, unknown> = {}): Promise<string> {
  return insertRow(sql, "provider_connections", {
    project_id: projectId,
    name: `Connection ${crypto.randomUUID().slice(0, 8)}`,
    kind: "openai_compatible",
    base_url: "http://127.0.0.1:9/v1",
    ...fields,
  });
}

/** A ciphertext in the stored format (v1.<kekId>.<iv>.<tag>.<ct>), unique per call so a test can search for it. */
export function fakeCiphertext(): string {
  const b64 = (n: number) => crypto.randomBytes(n).toString("base64");
  return `v1.${crypto.randomBytes(4).toString("hex")}.${b64(12)}.${b64(16)}.${b64(40)}`;
}

/** Stores an encrypted key for a connection as the executor does (service role): the secret row and key_last4. */
export async function storeSecret(sql: pg.Pool, projectId: string, connectionId: string, ciphertext = fakeCiphertext()): Promise<string> {
  await sql.query(
    `insert into public.provider_connection_secrets (connection_id, project_id, ciphertext) values ($1, $2, $3)
     on conflict (connection_id) do update set ciphertext = excluded.ciphertext`,
    [connectionId, projectId, ciphertext],
  );
  await sql.query("update public.provider_connections set key_last4 = 'wxyz', key_updated_at = now() where id = $1", [connectionId]);
  return ciphertext;
}

/** Inserts an agent with the given profile fields and returns its id. */
export function insertAgent(sql: pg.Pool, projectId: string, agentKey: string, fields: Record<string, unknown> = {}): Promise<string> {
  return insertRow(sql, "agents", { project_id: projectId, agent_key: agentKey, display_name: agentKey, ...fields });
}

/**
 * Sends a DM to `agentKey` as the fixture's operator (turning the DM labs flag on first) and
 * returns the message and its delivery, queued for the executor.
 */
export async function sendDm(
  sql: pg.Pool,
  f: TProjectFixture,
  agentKey: string,
  content = "Hello",
): Promise<{ messageId: string; deliveryId: string }> {
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"team_room": true, "dms": true}')
     on conflict (project_id, key) do update set value = excluded.value`,
    [f.projectId],
  );
  const messageId = crypto.randomUUID();
  const { error } = await f.operator.client.rpc("send_chat_message", {
    p_project_id: f.projectId,
    p_thread_key: `DM:${agentKey}`,
    p_content: content,
    p_message_id: messageId,
  });
  if (error) throw new Error(`send_chat_message failed: ${error.message}`);
  const { rows } = await sql.query<{ id: string }>("select id from public.chat_delivery_queue where message_id = $1", [messageId]);
  return { messageId, deliveryId: rows[0]?.id ?? "" };
}

/** Claims a message's deliveries for `executorId` and returns each {delivery, context} the executor would get. */
export async function claimDeliveries(
  sql: pg.Pool,
  executorId: string,
  messageId: string,
): Promise<Array<{ delivery: Record<string, unknown>; context: Record<string, unknown> }>> {
  const { rows } = await sql.query<{ batch: Array<{ delivery: Record<string, unknown>; context: Record<string, unknown> }> }>(
    "select public.claim_chat_delivery_batch($1, 10, $2) as batch",
    [executorId, messageId],
  );
  return rows[0]?.batch ?? [];
}
