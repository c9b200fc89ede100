import type { IncomingMessage } from "node:http";
import type pg from "pg";
import type { TGatewayContext } from "../http/module-context.ts";
import type { TJwtClaims } from "../keys/jwt-keys.ts";
import { authError } from "./auth-errors.ts";
import { userClaims } from "./current-user.ts";
import { FACTOR_COLUMNS, type TFactorRow } from "./factor-json.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in caller of a /factors call: token claims, user row and the session's aal. */
export interface TFactorCaller {
  claims: TJwtClaims & { sub: string; session_id: string };
  user: TAuthUserRow;
  sessionAal: "aal1" | "aal2";
}

/**
 * Loads the caller as GoTrue's /factors routes do (requireAuthentication, then
 * requireNotAnonymous): a valid access token of an existing user in an existing session, and not
 * an anonymous user. The session's aal comes from its row (GoTrue's session.IsAAL2()).
 */
export async function loadFactorCaller(ctx: TGatewayContext, req: IncomingMessage, client: pg.PoolClient): Promise<TFactorCaller> {
  const claims = await userClaims(ctx, req);
  if (!UUID.test(claims.sub)) throw authError(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  if (claims.is_anonymous === true) throw authError(403, "no_authorization", "Anonymous user not allowed to perform these actions");
  const sessionId = claims.session_id;
  if (!sessionId || !UUID.test(sessionId)) {
    throw authError(403, "session_not_found", "MFA needs a session: sign in with a password first, then enroll or verify a factor");
  }
  const { rows } = await client.query<TAuthUserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [
    claims.sub,
  ]);
  const user = rows[0];
  if (!user) throw authError(403, "user_not_found", "User from sub claim in JWT does not exist");
  const session = await client.query<{ aal: string }>("select aal from auth.sessions where id = $1 and user_id = $2 for update", [
    sessionId,
    claims.sub,
  ]);
  const aal = session.rows[0]?.aal;
  if (!aal) throw authError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
  return { claims: { ...claims, session_id: sessionId }, user, sessionAal: aal === "aal2" ? "aal2" : "aal1" };
}

/** The caller's factor named by the path (GoTrue's loadFactor), locked for the rest of the call. */
export async function loadOwnedFactor(client: pg.PoolClient, userId: string, segment: string): Promise<TFactorRow> {
  let factorId = "";
  try {
    factorId = decodeURIComponent(segment);
  } catch {
    factorId = "";
  }
  if (!UUID.test(factorId)) throw authError(404, "validation_failed", "factor_id must be an UUID");
  const { rows } = await client.query<TFactorRow>(
    `select ${FACTOR_COLUMNS} from auth.mfa_factors where id = $1 and user_id = $2 for update`,
    [factorId, userId],
  );
  const factor = rows[0];
  if (!factor) throw authError(404, "mfa_factor_not_found", "Factor not found");
  return factor;
}
