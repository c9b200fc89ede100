import type { IncomingMessage } from "node:http";
import type { TControlApiAuth } from "@mission-control/shared/control-api";
import { assertNever } from "@mission-control/shared/errors";
import type { TCaller, TTokenVerifier } from "./create-token-verifier.ts";
import { verifyServiceKey } from "./verify-service-key.ts";

/**
 * Checks the credential a route's auth kind asks for: nothing, an operator's access token (returns
 * who called) or the service role key. Throws `unauthorized` saying what to send.
 */
export async function authenticateCaller(
  auth: TControlApiAuth,
  req: IncomingMessage,
  deps: { verifier: TTokenVerifier; serviceRoleKey: string },
): Promise<TCaller | null> {
  switch (auth) {
    case "none":
      return null;
    case "operator":
      return deps.verifier.verify(req.headers.authorization);
    case "service_role":
      verifyServiceKey(req, deps.serviceRoleKey);
      return null;
    default:
      return assertNever(auth);
  }
}
