import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { authTransaction } from "./auth-transaction.ts";
import { loadFactorCaller, loadOwnedFactor } from "./factor-request.ts";

/** GoTrue's MFA_CHALLENGE_EXPIRY_DURATION: a challenge must be verified within this many seconds. */
export const CHALLENGE_SECONDS = 300;

/** POST /auth/v1/factors/:id/challenge: opens a challenge the next verify answers. */
export async function challengeFactor(ctx: TGatewayContext, req: IncomingMessage, factorSegment: string) {
  return authTransaction(ctx.adminPool, async (client) => {
    const caller = await loadFactorCaller(ctx, req, client);
    const factor = await loadOwnedFactor(client, caller.user.id, factorSegment);
    const { rows } = await client.query<{ id: string; expires_at: string }>(
      `insert into auth.mfa_challenges (factor_id) values ($1)
       returning id, extract(epoch from created_at + make_interval(secs => $2))::bigint as expires_at`,
      [factor.id, CHALLENGE_SECONDS],
    );
    await client.query("update auth.mfa_factors set last_challenged_at = now() where id = $1", [factor.id]);
    const challenge = rows[0];
    return { id: challenge?.id, type: factor.factor_type, expires_at: Number(challenge?.expires_at) };
  });
}
