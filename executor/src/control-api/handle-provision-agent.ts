import type { TProvisionAnswer, TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { authorizeProvisionRequest } from "./authorize-provision-request.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/agents/provision {request_id} (operator token checked by the router): checks the
 * caller may make that agent change (an owner or operator of its project; an owner for a delete),
 * applies the queued agent_provision_requests row now and answers 200 with its status (`queued`
 * when an earlier change of the same agent is still waiting, `applied` or `failed` with the reason).
 */
export async function handleProvisionAgent(
  { caller, body }: TRouteInput<"provisionAgent">,
  deps: {
    db: TDb;
    applyProvision: (requestId: string) => Promise<TProvisionAnswer>;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<TRouteAnswer<"provisionAgent">> {
  const requestId = body.request_id;
  await authorizeProvisionRequest(deps.db, { userId: caller.userId, requestId });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the agent change is saved and applies when an executor is back",
    });
  }
  const answer = await deps.applyProvision(requestId);
  deps.log.info({ requestId, userId: caller.userId, status: answer.status }, "agent change applied through the Control API");
  return { status: 200, body: answer };
}
