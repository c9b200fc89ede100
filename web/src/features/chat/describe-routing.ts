import type { TChatDelivery, TChatMessage } from "@mission-control/shared/rows";
import { z } from "zod";

/** What send_chat_message and reroute_chat_message record about where a Team Room message went. */
const ZRoutingMetadata = z.object({
  routed_reason: z.string().optional(),
  command: z.string().optional(),
  rerouted: z
    .object({
      from: z.string().nullable(),
      to: z.string(),
      by: z.string().nullable(),
      at: z.string(),
    })
    .optional(),
});

/** A message's routing in words, and the agent it goes to now. */
export interface TRouting {
  /** The one muted line under the message: "Routed to @backend: sql, migrations", "Re-routed to @web by you". */
  text: string;
  /** After a re-route, where it went before: "was routed to @backend: sql", "was for @lead". */
  was: string | null;
  /** The agent answering now (the re-route's), or null when the router picked (see the deliveries). */
  agentKey: string | null;
  /** A re-route is possible: an ordinary message (a /command started a run instead). */
  reroutable: boolean;
}

/** The error reroute_chat_message writes on the delivery it cancels (queued -> failed). */
const REROUTED_ERROR = /^Re-routed to @[a-z][a-z0-9_-]* before @/;

/** True for a delivery cancelled because the operator re-routed its message: not a failure to retry. */
export function isReroutedDelivery(delivery: Pick<TChatDelivery, "status" | "error">): boolean {
  return delivery.status === "failed" && REROUTED_ERROR.test(delivery.error ?? "");
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Where an operator's Team Room message went and why, from its metadata: the router's reason
 * (`routed_reason`), or the operator's re-route (`rerouted` {from, to, by, at}) with the reason it
 * replaced. Null for a message nobody routed (it mentioned its agents).
 */
export function describeRouting(message: Pick<TChatMessage, "metadata">, myUserId: string): TRouting | null {
  const parsed = ZRoutingMetadata.safeParse(message.metadata);
  if (!parsed.success) return null;
  const { routed_reason: reason, rerouted, command } = parsed.data;
  const reroutable = command === undefined;
  if (rerouted) {
    const who = rerouted.by === myUserId ? "you" : "an operator";
    return {
      text: `Re-routed to @${rerouted.to} by ${who}`,
      was: reason?.startsWith("routed to ") ? `was ${reason}` : rerouted.from ? `was for @${rerouted.from}` : null,
      agentKey: rerouted.to,
      reroutable,
    };
  }
  if (!reason) return null;
  return { text: sentence(reason), was: null, agentKey: null, reroutable };
}
