import { AppError } from "@mission-control/shared/errors";
import type { TDb } from "../db/executor-client.ts";

/** Who called: the operator's user id from a verified Supabase access token. */
export type TCaller = { userId: string };

/** Verifies operators' Supabase access tokens. */
export interface TTokenVerifier {
  /** Verifies `Authorization: Bearer <token>`; throws `unauthorized` when it is missing, invalid or expired. */
  verify(authorization: string | undefined): Promise<TCaller>;
}

/**
 * Verifies tokens with Supabase Auth itself (`auth.getUser(token)`), which works for symmetric and
 * asymmetric signing keys alike, and remembers good tokens for `cacheMs` (never past their `exp`)
 * so a burst of deliveries costs one round trip.
 */
export function createTokenVerifier(db: TDb, options: { cacheMs?: number; maxEntries?: number; now?: () => number } = {}): TTokenVerifier {
  const cacheMs = options.cacheMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { userId: string; until: number }>();
  return {
    async verify(authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
      if (!token) {
        throw new AppError("unauthorized", { message: "Send the operator's Supabase access token as `Authorization: Bearer <token>`" });
      }
      const hit = cache.get(token);
      if (hit && hit.until > now()) return { userId: hit.userId };
      cache.delete(token);
      const { data, error } = await db.auth.getUser(token);
      if (error || !data.user) {
        if (error && (error.status ?? 0) >= 500) {
          throw new AppError("database_unreachable", {
            message: `Supabase Auth could not check the token: ${error.message}`,
            cause: error,
          });
        }
        throw new AppError("unauthorized", { message: "The access token is invalid or expired: sign in again" });
      }
      const exp = readExpiry(token);
      const until = Math.min(now() + cacheMs, exp ?? Number.POSITIVE_INFINITY);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(token, { userId: data.user.id, until });
      return { userId: data.user.id };
    },
  };
}

/** The token's `exp` in ms, read without verifying (only to bound the cache); null when absent. */
function readExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}
