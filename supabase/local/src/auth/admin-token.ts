import { jwtVerify } from "jose";
import type { TGatewayContext } from "../http/module-context.ts";
import { JwtError } from "../keys/jwt-keys.ts";

/** GoTrue's JWT_ADMIN_ROLES default: tokens of these roles may call the admin endpoints. */
export const ADMIN_ROLES = ["service_role", "supabase_admin"] as const;

/**
 * The role of a token signed with the stack's secret, admin roles included. The gateway's own
 * verify knows only the three API roles (a `supabase_admin` token must never reach /rest/v1,
 * where no such database role runs requests); auth accepts it as GoTrue does. Throws JwtError.
 */
export async function verifiedRole(ctx: TGatewayContext, token: string): Promise<string> {
  try {
    return (await ctx.keys.verify(token)).role;
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(ctx.keys.secret), { algorithms: ["HS256"] }));
    } catch {
      throw err;
    }
    if (payload.role === "supabase_admin") return "supabase_admin";
    throw err;
  }
}
