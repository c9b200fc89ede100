import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import { z } from "zod";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { authorizeMessageDelivery } from "./authorize-message-delivery.ts";
import type { TTokenVerifier } from "./create-token-verifier.ts";
import { readJsonBody } from "./read-json-body.ts";
import { sendJson } from "./send-json.ts";

/** Body of POST /api/chat/deliver. */
export const ZDeliverRequest = z.object({ message_id: z.uuid({ message: "must be the id of a chat message (a UUID)" }) }).strict();
/** Body of POST /api/chat/deliver. */
export type TDeliverRequest = z.infer<typeof ZDeliverRequest>;

/**
 * POST /api/chat/deliver {message_id}: verifies the operator's token and role, claims that
 * message's queued deliveries now and answers 202 with the claimed ids; the agents run in the
 * background. Deliveries already picked up (realtime is usually faster) are simply not in the list.
 */
export async function handleDeliver(
  req: IncomingMessage,
  res: ServerResponse,
  deps: {
    db: TDb;
    verifier: TTokenVerifier;
    claimMessage: (messageId: string) => Promise<TDeliveryRow[]>;
    accepting: () => boolean;
    log: Logger;
  },
): Promise<void> {
  const caller = await deps.verifier.verify(req.headers.authorization);
  const body = await readJsonBody(req, ZDeliverRequest);
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
  sendJson(res, 202, {
    message_id: body.message_id,
    claimed: claimed.map((delivery) => ({ id: delivery.id, agent_key: delivery.agent_key, attempts: delivery.attempts })),
  });
}
