import { z } from "zod";

/** The claims of an access token the dashboard reads. */
const ZTokenClaims = z.object({ sub: z.string().min(1), email: z.string().optional(), exp: z.number() });
export type TTokenClaims = z.infer<typeof ZTokenClaims>;

/**
 * The claims of a JWT, decoded without checking its signature (server side: the session cookie,
 * session-cookie.ts): only use them after the gateway accepted the token (it checks the signature
 * on every request). Null for anything malformed.
 */
export function readTokenClaims(token: string): TTokenClaims | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const parsed = ZTokenClaims.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
