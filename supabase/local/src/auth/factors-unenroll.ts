import type { IncomingMessage } from "node:http";
import type { TGatewayContext } from "../http/module-context.ts";
import { authError } from "./auth-errors.ts";
import { authTransaction } from "./auth-transaction.ts";
import { loadFactorCaller, loadOwnedFactor } from "./factor-request.ts";

/**
 * DELETE /auth/v1/factors/:id: removes a factor (GoTrue's UnenrollFactor). A verified one needs an
 * aal2 session; the sessions that reached aal2 with it drop back to aal1 (their next token says so).
 */
export async function unenrollFactor(ctx: TGatewayContext, req: IncomingMessage, factorSegment: string) {
  return authTransaction(ctx.adminPool, async (client) => {
    const caller = await loadFactorCaller(ctx, req, client);
    const factor = await loadOwnedFactor(client, caller.user.id, factorSegment);
    if (factor.status === "verified" && caller.sessionAal !== "aal2") {
      throw authError(422, "insufficient_aal", "AAL2 required to unenroll verified factor: verify a code of this factor first");
    }
    await client.query(
      `delete from auth.mfa_amr_claims c using auth.sessions s
       where c.session_id = s.id and s.factor_id = $1 and c.authentication_method = 'totp'`,
      [factor.id],
    );
    await client.query("update auth.sessions set aal = 'aal1', factor_id = null where factor_id = $1", [factor.id]);
    await client.query("delete from auth.mfa_factors where id = $1", [factor.id]);
    return { id: factor.id };
  });
}
