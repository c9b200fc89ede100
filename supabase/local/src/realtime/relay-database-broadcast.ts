import type { Logger } from "pino";
import type { TChannelHub } from "./create-channel-hub.ts";
import type { TRelationColumn, TTupleValue } from "./decode-pgoutput-message.ts";
import { broadcastToTopic, hubKeyOf } from "./relay-broadcast.ts";

/** Whether a relation is realtime.messages (its inserts are broadcasts, not postgres_changes). */
export function isMessagesRelation(schema: string, name: string): boolean {
  return schema === "realtime" && name === "messages";
}

/**
 * Relays a row inserted into realtime.messages (by realtime.send(), broadcast_changes() or a plain
 * insert) to the channels of its topic, as hosted's "Broadcast from the database": event and
 * payload as the row has them, `meta: {id}`, private rows only to channels whose read policy
 * allows broadcast. It arrives through the replication stream, so only committed sends go out, in
 * commit order with postgres_changes. Rows of other extensions (the policy probes) never commit.
 */
export function relayDatabaseBroadcast(hub: TChannelHub, columns: TRelationColumn[], tuple: TTupleValue[], log: Logger): void {
  const row = new Map<string, TTupleValue>();
  for (const [i, column] of columns.entries()) row.set(column.name, tuple[i]);
  const topic = row.get("topic");
  const event = row.get("event");
  const id = row.get("id");
  if (row.get("extension") !== "broadcast" || typeof topic !== "string" || typeof event !== "string") return;
  let payload: unknown = {};
  const text = row.get("payload");
  if (typeof text === "string") {
    try {
      payload = JSON.parse(text);
    } catch (err) {
      log.warn({ err, topic }, "realtime skipped a realtime.messages row whose payload is not JSON");
      return;
    }
  }
  const hubKey = hubKeyOf({ topic, isPrivate: row.get("private") === "t" });
  broadcastToTopic(hub, hubKey, event, payload, typeof id === "string" ? { meta: { id } } : {});
}
