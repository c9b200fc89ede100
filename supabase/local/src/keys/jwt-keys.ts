import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/** The claims the gateway understands; anything else in a token is passed through to SQL untouched. */
export const ZJwtClaims = z
  .object({
    role: z.enum(["anon", "authenticated", "service_role"]),
    sub: z.string().optional(),
    exp: z.number().optional(),
    iat: z.number().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    email: z.string().optional(),
    session_id: z.string().optional(),
  })
  .passthrough();
export type TJwtClaims = z.infer<typeof ZJwtClaims>;

/** Signs and verifies HS256 tokens with the local JWT secret, as hosted Supabase does. */
export interface TJwtKeys {
  secret: string;
  anonKey: string;
  serviceRoleKey: string;
  sign(claims: Record<string, unknown>, expiresInSeconds?: number, issuedAt?: number): Promise<string>;
  verify(token: string): Promise<TJwtClaims>;
}

/** A token that failed verification; `reason` is safe to show to the caller. */
export class JwtError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "JwtError";
  }
}

const TEN_YEARS = 10 * 365 * 24 * 3600;
const API_KEYS_ISSUED_AT = 1_767_225_600; // 2026-01-01T00:00:00Z

/** Reads the local JWT secret from `<dataDir>/jwt-secret`, creating a random one on first run. */
export async function loadJwtSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "jwt-secret");
  try {
    const secret = (await fs.readFile(file, "utf8")).trim();
    if (secret.length >= 32) return secret;
  } catch {
    // first run: fall through and create one
  }
  const secret = crypto.randomBytes(32).toString("base64url");
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Builds the key pair (anon, service_role) and the sign/verify helpers from a secret. */
export async function createJwtKeys(secret: string): Promise<TJwtKeys> {
  const key = new TextEncoder().encode(secret);
  const sign = async (claims: Record<string, unknown>, expiresInSeconds = 3600, issuedAt = Math.floor(Date.now() / 1000)) => {
    const now = issuedAt;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(key);
  };
  const verify = async (token: string): Promise<TJwtClaims> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ["HS256"] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new JwtError("JWT expired");
      throw new JwtError("Invalid JWT: the signature does not match this stack's JWT secret or the token is malformed");
    }
    const parsed = ZJwtClaims.safeParse(payload);
    if (!parsed.success) throw new JwtError("JWT has no valid role claim (anon, authenticated or service_role)");
    return parsed.data;
  };
  return {
    secret,
    // A fixed issue time keeps the API keys identical across restarts for the same secret.
    anonKey: await sign({ iss: "supabase-local", role: "anon" }, TEN_YEARS, API_KEYS_ISSUED_AT),
    serviceRoleKey: await sign({ iss: "supabase-local", role: "service_role" }, TEN_YEARS, API_KEYS_ISSUED_AT),
    sign,
    verify,
  };
}
