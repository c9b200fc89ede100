import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { loadFactorCaller, loadOwnedFactor } from "./factor-request.ts";
import { CHALLENGE_SECONDS } from "./factors-challenge.ts";
import { newRefreshToken, sessionJson } from "./issue-session.ts";
import { loadSessionAssurance } from "./session-assurance.ts";
import { checkTotpCode } from "./totp-code.ts";
import { type TAuthUserRow, USER_COLUMNS } from "./user-json.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST /auth/v1/factors/:id/verify: answers a challenge with a TOTP code (GoTrue's
 * verifyTOTPFactor). On success the factor is verified (first time), the session becomes aal2
 * with a `totp` amr entry, the user's other aal1 sessions end (InvalidateSessionsWithAALLessThan),
 * other unverified totp factors are dropped, and a new session body is returned: the session's
 * earlier refresh tokens are revoked, so an aal1 refresh token cannot outlive the upgrade.
 * `nowMs` is the clock the code is checked against.
 */
export async function verifyFactor(
  ctx: TGatewayContext,
  req: IncomingMessage,
  factorSegment: string,
  body: Record<string, unknown>,
  nowMs: () => number = Date.now,
) {
  const code = typeof body.code === "string" ? body.code.trim() : "";
  if (code === "") throw authError(400, "validation_failed", "Code needs to be non-empty");
  const challengeId = body.challenge_id;
  if (typeof challengeId !== "string" || !UUID.test(challengeId)) {
    throw authError(400, "validation_failed", "challenge_id must be an UUID: create a challenge first (POST /factors/:id/challenge)");
  }
  return authTransaction(ctx.adminPool, async (client) => {
    const caller = await loadFactorCaller(ctx, req, client);
    const factor = await loadOwnedFactor(client, caller.user.id, factorSegment);
    const challenges = await client.query<{ verified_at: Date | null; expired: boolean }>(
      `select verified_at, created_at + make_interval(secs => $3) <= now() as expired
       from auth.mfa_challenges where id = $1 and factor_id = $2 for update`,
      [challengeId, factor.id, CHALLENGE_SECONDS],
    );
    const challenge = challenges.rows[0];
    if (!challenge) throw authError(422, "mfa_factor_not_found", "MFA factor with the provided challenge ID not found");
    if (challenge.verified_at) {
      // GoTrue refuses a consumed challenge with this code (its check shares the IP-mismatch branch).
      throw authError(422, "mfa_ip_address_mismatch", "This challenge was already verified: create a new challenge");
    }
    if (challenge.expired) {
      throw authError(
        422,
        "mfa_challenge_expired",
        `MFA challenge ${challengeId} has expired, verify against another challenge or create a new challenge.`,
      );
    }
    const lastUsedStep = factor.last_used_time_step === null ? null : Number(factor.last_used_time_step);
    const check = checkTotpCode({ secret: factor.secret, code, nowMs: nowMs(), lastUsedStep });
    if (!check.ok) {
      throw authError(
        422,
        "mfa_verification_failed",
        check.reason === "replayed"
          ? "Invalid TOTP code entered: this code was already used; enter the next code your authenticator app shows"
          : "Invalid TOTP code entered",
      );
    }

    const sessionId = caller.claims.session_id;
    await client.query("update auth.mfa_challenges set verified_at = now() where id = $1", [challengeId]);
    await client.query("update auth.mfa_factors set status = 'verified', last_used_time_step = $2, updated_at = now() where id = $1", [
      factor.id,
      check.step,
    ]);
    // The session keeps how it was first signed in (from the token's amr) and gains totp.
    const firstFactors = Array.isArray(caller.claims.amr) ? (caller.claims.amr as Array<{ method?: unknown; timestamp?: unknown }>) : [];
    for (const entry of firstFactors) {
      if (typeof entry.method !== "string" || entry.method === "totp") continue;
      const at = typeof entry.timestamp === "number" ? entry.timestamp : Math.floor(Date.now() / 1000);
      await client.query(
        `insert into auth.mfa_amr_claims (session_id, authentication_method, created_at, updated_at)
         values ($1, $2, to_timestamp($3), to_timestamp($3)) on conflict do nothing`,
        [sessionId, entry.method, at],
      );
    }
    await client.query(
      `insert into auth.mfa_amr_claims (session_id, authentication_method) values ($1, 'totp')
       on conflict (session_id, authentication_method) do update set updated_at = now()`,
      [sessionId],
    );
    await client.query("update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = now() where id = $1", [sessionId, factor.id]);
    await client.query("delete from auth.sessions where user_id = $1 and aal < 'aal2'", [caller.user.id]);
    await client.query("delete from auth.mfa_factors where user_id = $1 and factor_type = 'totp' and status = 'unverified'", [
      caller.user.id,
    ]);
    await client.query("update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and not revoked", [
      sessionId,
    ]);
    const refreshToken = newRefreshToken();
    await client.query("insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2, $3)", [
      refreshToken,
      caller.user.id,
      sessionId,
    ]);
    const { rows } = await client.query<TAuthUserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [caller.user.id]);
    const user = rows[0] ?? caller.user;
    const assurance = await loadSessionAssurance(client, sessionId);
    return sessionJson(ctx.keys, `${ctx.publicUrl}/auth/v1`, user, sessionId, refreshToken, "totp", assurance);
  });
}
