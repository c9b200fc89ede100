import type { IncomingMessage } from "node:http";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { bearerToken } from "../http/http-helpers.ts";
import { resolveIdentity } from "../http/resolve-identity.ts";
import type { TJwtKeys } from "../keys/jwt-keys.ts";

const MAX_ENTRIES = 2000;
/** Tokens without `exp` are re-verified at least this often. */
const MAX_CACHE_MS = 60_000;

/**
 * resolveIdentity with a small cache of tokens that already verified: HMAC verification is
 * deterministic, so a token seen before is good until its `exp` (checked on every hit).
 * Verifying costs more than the rest of a primary-key read, which the throughput goal needs.
 */
export function createIdentityCache(keys: TJwtKeys): (req: IncomingMessage) => Promise<TRequestIdentity> {
  const cache = new Map<string, { identity: TRequestIdentity; validUntil: number }>();
  return async (req) => {
    const token = bearerToken(req);
    const now = Date.now();
    if (token !== undefined) {
      const hit = cache.get(token);
      if (hit && hit.validUntil > now) return hit.identity;
      if (hit) cache.delete(token);
    }
    const identity = await resolveIdentity(req, keys);
    if (token !== undefined) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      const exp = typeof identity.claims.exp === "number" ? identity.claims.exp * 1000 : Number.POSITIVE_INFINITY;
      cache.set(token, { identity, validUntil: Math.min(exp, now + MAX_CACHE_MS) });
    }
    return identity;
  };
}
