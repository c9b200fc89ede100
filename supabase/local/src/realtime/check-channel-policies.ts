import crypto from "node:crypto";
import type pg from "pg";
import type { TRequestIdentity } from "../db/with-claims.ts";
import type { TChannel } from "./create-channel-hub.ts";

/** The two extensions Realtime Authorization checks, as `realtime.messages.extension` names them. */
export type TPolicyExtension = "broadcast" | "presence";

/**
 * Sets what RLS policies on realtime.messages may read, transaction-locally: the role, the claims
 * (auth.uid(), auth.jwt()) and `realtime.topic` (realtime.topic()), as hosted Realtime does.
 */
async function setPolicyContext(client: pg.PoolClient, identity: TRequestIdentity, topic: string): Promise<void> {
  const sub = typeof identity.claims.sub === "string" ? identity.claims.sub : "";
  await client.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true), set_config('request.jwt.claims', $3, true),
            set_config('request.jwt.claim.sub', $4, true), set_config('request.jwt.claim.role', $1, true)`,
    [identity.role, topic, JSON.stringify(identity.claims), sub],
  );
}

/**
 * Read policies of a private channel: in a transaction that is always rolled back, inserts one
 * probe row per extension for the topic (as the superuser), then switches to the identity and
 * selects them back; a row that comes back means SELECT is allowed. This is hosted Realtime's
 * check, so policies written for hosted (`realtime.topic()`, `extension`, `auth.uid()`) behave the
 * same here. A policy that raises counts as "not allowed".
 */
export async function checkReadPolicies(
  adminPool: pg.Pool,
  identity: TRequestIdentity,
  topic: string,
): Promise<Record<TPolicyExtension, boolean>> {
  const ids = { broadcast: crypto.randomUUID(), presence: crypto.randomUUID() };
  const client = await adminPool.connect();
  let broken = false;
  try {
    await client.query("begin");
    await client.query(
      "insert into realtime.messages (id, topic, extension, private) values ($1, $3, 'broadcast', true), ($2, $3, 'presence', true)",
      [ids.broadcast, ids.presence, topic],
    );
    await setPolicyContext(client, identity, topic);
    const { rows } = await client.query<{ id: string }>("select id from realtime.messages where id = any($1::uuid[])", [
      [ids.broadcast, ids.presence],
    ]);
    const seen = new Set(rows.map((r) => r.id));
    return { broadcast: seen.has(ids.broadcast), presence: seen.has(ids.presence) };
  } catch (err) {
    if (isPolicyError(err)) return { broadcast: false, presence: false };
    broken = true;
    throw err;
  } finally {
    await rollbackAndRelease(client, broken);
  }
}

/**
 * Write policy of a private channel for one extension: inserts a row for the topic as the
 * identity (rolled back); allowed unless RLS refuses it (42501).
 */
export async function checkWritePolicy(
  adminPool: pg.Pool,
  identity: TRequestIdentity,
  topic: string,
  extension: TPolicyExtension,
): Promise<boolean> {
  const client = await adminPool.connect();
  let broken = false;
  try {
    await client.query("begin");
    await setPolicyContext(client, identity, topic);
    await client.query("insert into realtime.messages (topic, extension, private) values ($1, $2, true)", [topic, extension]);
    return true;
  } catch (err) {
    if (isPolicyError(err)) return false;
    broken = true;
    throw err;
  } finally {
    await rollbackAndRelease(client, broken);
  }
}

/** Errors a policy can cause (refused row, a raising policy, a bad cast in it): "not allowed", not a failure. */
function isPolicyError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code === "42501" || code.startsWith("22") || code === "P0001" || code === "42883");
}

async function rollbackAndRelease(client: pg.PoolClient, broken: boolean): Promise<void> {
  try {
    await client.query("rollback");
    client.release(broken ? true : undefined);
  } catch (err) {
    client.release(err as Error);
  }
}

/**
 * Whether a channel may send (broadcast) or track (presence): always on public channels; on a
 * private one the INSERT policy decides, checked on first use and remembered until the token
 * changes. A check that fails (database down) refuses without remembering.
 */
export async function canWriteToChannel(
  adminPool: pg.Pool,
  channel: TChannel,
  extension: TPolicyExtension,
  onError: (err: unknown) => void,
): Promise<boolean> {
  const policies = channel.policies;
  if (!channel.isPrivate || !policies) return true;
  const key = extension === "broadcast" ? "broadcastWrite" : "presenceWrite";
  const known = policies[key];
  if (known !== null) return known;
  try {
    const allowed = await checkWritePolicy(adminPool, channel.identity, channel.name, extension);
    if (channel.policies === policies) policies[key] = allowed;
    return allowed;
  } catch (err) {
    onError(err);
    return false;
  }
}
