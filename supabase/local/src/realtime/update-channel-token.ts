import type pg from "pg";
import type { Logger } from "pino";
import type { TJwtKeys } from "../keys/jwt-keys.ts";
import { checkReadPolicies } from "./check-channel-policies.ts";
import { closeChannel } from "./close-channel.ts";
import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { pushSystem } from "./push-to-channel.ts";
import { verifyChannelToken } from "./verify-channel-token.ts";

/**
 * Applies an `access_token` event: the channel's identity (and so its RLS view of changes) becomes
 * the new token's. A token that does not verify ends the channel with a `system` error, as hosted.
 */
export async function updateChannelToken(
  hub: TChannelHub,
  keys: TJwtKeys,
  channel: TChannel,
  token: unknown,
  adminPool: pg.Pool,
  log: Logger,
): Promise<void> {
  if (typeof token !== "string" || token === "" || token.startsWith("sb_") || token === channel.accessToken) return;
  const check = await verifyChannelToken(keys, token);
  if (channel.closed) return;
  if (!check.ok) {
    pushSystem(channel, "system", "error", check.message);
    closeChannel(hub, channel, true);
    return;
  }
  channel.accessToken = token;
  channel.identity = check.identity;
  channel.identityKey = identityKeyOf(check.identity.role, check.identity.claims);
  armTokenExpiry(hub, channel, check.exp);
  if (channel.isPrivate && !(await recheckReadPolicies(hub, channel, adminPool, log))) return;
  if (channel.subscriptions.length > 0) pushSystem(channel, "postgres_changes", "ok", "Subscribed to PostgreSQL");
}

/**
 * A private channel's policies follow its token: read is checked again (a channel that lost it is
 * closed with hosted's message), write is checked again on the next send or track.
 */
async function recheckReadPolicies(hub: TChannelHub, channel: TChannel, adminPool: pg.Pool, log: Logger): Promise<boolean> {
  let read: Awaited<ReturnType<typeof checkReadPolicies>>;
  try {
    read = await checkReadPolicies(adminPool, channel.identity, channel.name);
  } catch (err) {
    log.warn({ err, topic: channel.topic }, "realtime could not re-check the read policies of a private channel; keeping the old ones");
    return true;
  }
  if (channel.closed) return false;
  const lost = (channel.policies?.broadcastRead && !read.broadcast) || (channel.policies?.presenceRead && !read.presence);
  channel.policies = { broadcastRead: read.broadcast, presenceRead: read.presence, broadcastWrite: null, presenceWrite: null };
  if (lost) {
    pushSystem(channel, "system", "error", `You no longer have permission to read from this Channel topic: ${channel.name}`);
    closeChannel(hub, channel, true);
    return false;
  }
  return true;
}

/** Closes the channel with a `system` error when its token expires (hosted re-confirms tokens at `exp`). */
export function armTokenExpiry(hub: TChannelHub, channel: TChannel, exp: number | null): void {
  if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
  channel.expiryTimer = null;
  if (exp === null) return;
  const delay = Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1);
  channel.expiryTimer = setTimeout(
    () => {
      if (channel.closed) return;
      const ago = Math.max(0, Math.floor(Date.now() / 1000) - exp);
      pushSystem(channel, "system", "error", `Token has expired ${ago} seconds ago`);
      closeChannel(hub, channel, true);
    },
    Math.max(0, delay),
  );
  channel.expiryTimer.unref();
}

/** The key that groups subscribers for RLS checks: same role and claims, same answer. */
export function identityKeyOf(role: string, claims: unknown): string {
  return `${role}\u0000${JSON.stringify(claims)}`;
}
