import type { IncomingMessage } from "node:http";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { JwtError, type TJwtKeys } from "../keys/jwt-keys.ts";
import { bearerToken, HttpError } from "./http-helpers.ts";

/**
 * Works out who a REST or auth request runs as: the verified JWT in `Authorization`, else the
 * `apikey`. A missing token is 401 (hosted Supabase refuses requests without a key); a bad one is
 * 401 with PostgREST's JWT error codes.
 */
export async function resolveIdentity(req: IncomingMessage, keys: TJwtKeys): Promise<TRequestIdentity> {
  const token = bearerToken(req);
  if (!token) {
    throw new HttpError(401, {
      code: "PGRST301",
      message: "No API key found in request",
      details: null,
      hint: "Send the anon key in the apikey header (supabase-js does this for you)",
    });
  }
  return identityFromToken(token, keys);
}

/** Verifies a token and returns the identity it grants; throws a 401 HttpError when it is not valid. */
export async function identityFromToken(token: string, keys: TJwtKeys): Promise<TRequestIdentity> {
  try {
    const claims = await keys.verify(token);
    return { role: claims.role, claims };
  } catch (err) {
    if (err instanceof JwtError) {
      const expired = err.reason === "JWT expired";
      throw new HttpError(
        401,
        {
          code: expired ? "PGRST303" : "PGRST301",
          message: err.reason,
          details: null,
          hint: expired ? "Refresh the session and retry" : null,
        },
        { "www-authenticate": `Bearer error="invalid_token", error_description="${err.reason}"` },
      );
    }
    throw err;
  }
}
