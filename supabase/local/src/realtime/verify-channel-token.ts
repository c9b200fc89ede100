import { decodeJwt } from "jose";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { JwtError, type TJwtKeys } from "../keys/jwt-keys.ts";

/** Outcome of checking a channel token, with hosted Realtime's error wording. */
export type TTokenCheck = { ok: true; identity: TRequestIdentity; exp: number | null } | { ok: false; code: string; message: string };

/** Verifies a JWT given to a channel (join `access_token` or the `access_token` event). */
export async function verifyChannelToken(keys: TJwtKeys, token: string): Promise<TTokenCheck> {
  try {
    const claims = await keys.verify(token);
    return { ok: true, identity: { role: claims.role, claims }, exp: typeof claims.exp === "number" ? claims.exp : null };
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    if (err.reason === "JWT expired") {
      return { ok: false, code: "InvalidJWTToken", message: `Token has expired ${secondsSinceExpiry(token)} seconds ago` };
    }
    if (err.reason.startsWith("JWT has no valid role")) {
      return { ok: false, code: "InvalidJWTToken", message: "Fields `role` and `exp` are required in JWT" };
    }
    try {
      decodeJwt(token);
    } catch {
      return { ok: false, code: "MalformedJWT", message: "The token provided is not a valid JWT" };
    }
    return { ok: false, code: "JwtSignatureError", message: "Failed to validate JWT signature" };
  }
}

/** Seconds since the token's `exp` (0 when unknown). */
export function secondsSinceExpiry(token: string): number {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" ? Math.max(0, Math.floor(Date.now() / 1000) - exp) : 0;
  } catch {
    return 0;
  }
}
