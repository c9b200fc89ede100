import type { TRouteAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { authorizeMessageDelivery } from "./authorize-message-delivery.ts";
import type { TRouteInput } from "./dispatch-route.ts";

/**
 * POST /api/chat/deliver {message_id} (operator token checked by the router): checks the
 * operator's role, claims that message's queued deliveries now and answers 202 with the claimed
 * ids; the agents run in the background. Deliveries already picked up (realtime is usually faster)
 * are simply not in the list.
 */
export async function handleDeliver(
  { caller, body }: TRouteInput<"deliver">,
  deps: {
    db: TDb;
    claimMessage: (messageId: string) => Promise<TDeliveryRow[]>;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<TRouteAnswer<"deliver">> {
  await authorizeMessageDelivery(deps.db, { userId: caller.userId, messageId: body.message_id });
  if (!deps.accepting()) {
    throw new AppError("control_api_unreachable", {
      message: "The executor is shutting down: the message stays queued and runs when an executor is back",
    });
  }
  const claimed = await deps.claimMessage(body.message_id);
  deps.log.info(
    { messageId: body.message_id, userId: caller.userId, claimed: claimed.length },
    "delivery requested through the Control API",
  );
  return {
    status: 202,
    body: {
      message_id: body.message_id,
      claimed: claimed.map((delivery) => ({ id: delivery.id, agent_key: delivery.agent_key, attempts: delivery.attempts })),
    },
  };
}
