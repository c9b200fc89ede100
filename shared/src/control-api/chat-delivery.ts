import { z } from "zod";

/** Body of `POST /api/chat/deliver`: the message whose queued deliveries should be claimed now. */
export const ZDeliverRequest = z.object({ message_id: z.uuid({ message: "must be the id of a chat message (a UUID)" }) }).strict();
/** Body of `POST /api/chat/deliver`. */
export type TDeliverRequest = z.infer<typeof ZDeliverRequest>;

/**
 * The 202 answer of `POST /api/chat/deliver`: the deliveries this executor claimed. Deliveries
 * already picked up (realtime is usually faster) are simply not in the list.
 */
export const ZDeliverAnswer = z.object({
  message_id: z.uuid(),
  claimed: z.array(z.object({ id: z.uuid(), agent_key: z.string(), attempts: z.number() })),
});
/** The 202 answer of `POST /api/chat/deliver`. */
export type TDeliverAnswer = z.infer<typeof ZDeliverAnswer>;
