import type { TJwtKeys } from "../keys/jwt-keys.ts";
import { closeChannel } from "./close-channel.ts";
import type { TChannel, TChannelHub } from "./create-channel-hub.ts";
import { pushSystem } from "./push-to-channel.ts";
import { verifyChannelToken } from "./verify-channel-token.ts";

/**
 * Applies an `access_token` event: the channel's identity (and so its RLS view of changes) becomes
 * the new token's. A token that does not verify ends the channel with a `system` error, as hosted.
 */
export async function updateChannelToken(hub: TChannelHub, keys: TJwtKeys, channel: TChannel, token: unknown): Promise<void> {
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
  if (channel.subscriptions.length > 0) pushSystem(channel, "postgres_changes", "ok", "Subscribed to PostgreSQL");
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
