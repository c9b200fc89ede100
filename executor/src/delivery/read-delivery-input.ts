import { AppError } from "@mission-control/shared/errors";
import { z } from "zod";
import type { TAgentRow, TBrainDocRow, TDeliveryRow, TMessageRow, TThreadRow } from "../db/executor-client.ts";
import type { TClaimedDelivery } from "./claim-deliveries.ts";

/** Everything one delivery needs from the database before the agent can answer. */
export type TDeliveryInput = {
  delivery: TDeliveryRow;
  message: TMessageRow;
  thread: Pick<TThreadRow, "id" | "kind" | "thread_key" | "title">;
  agent: TAgentRow;
  /** The project mission (brain_docs, agent_key null, doc_type 'mission'); null when there is none. */
  mission: TBrainDocRow | null;
  /** The agent's own docs (agent_key = the agent), oldest first. */
  agentDocs: TBrainDocRow[];
  /** Earlier messages of the thread, oldest first, without the message being answered. */
  history: TMessageRow[];
};

const ZRow = z.looseObject({ id: z.string() });
const ZMessage = ZRow.extend({ thread_id: z.string(), content: z.string(), author_type: z.string(), created_at: z.string() });
const ZAgent = ZRow.extend({ agent_key: z.string(), enabled: z.boolean(), provider: z.string(), model: z.string() });
const ZDoc = ZRow.extend({ content: z.string(), doc_type: z.string() });

/** The shape load_chat_delivery_context() returns; validated because it crosses the database edge. */
const ZDeliveryContext = z.object({
  message: ZMessage,
  thread: z.object({ id: z.string(), kind: z.string(), thread_key: z.string(), title: z.string() }),
  agent: ZAgent.nullable(),
  mission: ZDoc.nullable(),
  agent_docs: z.array(ZDoc),
  history: z.array(ZMessage),
});

/**
 * Checks the context claim_chat_delivery_batch read for a delivery (the message, its thread, the
 * agent's profile, the mission, the agent's docs and the last messages before it) and shapes it for
 * the agent. Throws `not_found` (a permanent failure) when the message or an enabled agent is missing.
 */
export function readDeliveryInput(claimed: TClaimedDelivery): TDeliveryInput {
  const { delivery } = claimed;
  if (claimed.context === null || claimed.context === undefined) {
    throw new AppError("not_found", {
      message: `Message ${delivery.message_id} no longer exists: nothing to answer`,
      details: { deliveryId: delivery.id },
    });
  }
  const parsed = ZDeliveryContext.safeParse(claimed.context);
  if (!parsed.success) {
    throw new AppError("internal", {
      message: `load_chat_delivery_context returned an unexpected shape for delivery ${delivery.id}: ${parsed.error.issues[0]?.message ?? "invalid"} (are the migrations up to date?)`,
    });
  }
  const context = parsed.data;
  const agent = context.agent as TAgentRow | null;
  if (!agent?.enabled) {
    throw new AppError("not_found", {
      message: `Agent ${delivery.agent_key} ${agent ? "is disabled" : "no longer exists"} in this project: enable it on the Agents page, then retry`,
      details: { agentKey: delivery.agent_key },
    });
  }
  return {
    delivery,
    message: context.message as unknown as TMessageRow,
    thread: context.thread,
    agent,
    mission: context.mission as TBrainDocRow | null,
    agentDocs: context.agent_docs as TBrainDocRow[],
    history: context.history as unknown as TMessageRow[],
  };
}
