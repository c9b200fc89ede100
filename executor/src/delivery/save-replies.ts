import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { CLAIM_LOST_SQLSTATE, NO_DELIVERY_SQLSTATE, POSTING_LIMIT_SQLSTATE, readDbError } from "../db/read-db-error.ts";
import { decodeClaimedDeliveries, type TClaimedDelivery } from "./decode-claimed-delivery.ts";
import type { TProviderCallRecord } from "./reserve-provider-call.ts";

/**
 * One agent reply to save for a delivery this executor holds, with the provider call that produced
 * it (recorded in the same transaction, even when the reply is refused).
 */
export type TReplyToSave = { deliveryId: string; reply: string; metadata: Record<string, unknown>; call?: TProviderCallRecord };

/** A reply the database saved: the id of its message (nothing else of it is read). */
export type TSavedReply = { messageId: string };

/** What one save call did. */
export type TSavedReplies = {
  /**
   * Per reply of the call: the saved message, or why it was refused: `conflict` when this executor
   * no longer holds the claim (the watchdog or another executor took it over: drop the reply),
   * `forbidden` when the agent reached its Team Room posting limit (a permanent failure),
   * `invalid_input` when the database refused the reply's data.
   */
  saved: Map<string, TSavedReply | AppError>;
  /**
   * Deliveries claimed for this executor in the same transaction (at most `claimLimit`), decoded;
   * null when a refused reply made the call fall back to saving one by one, which claims nothing.
   */
  claimed: TClaimedDelivery[] | null;
};

/** Who saves, and how much history a delivery claimed along brings (HISTORY_MESSAGES). */
export type TSaveRepliesOptions = { executorId: string; historyLimit: number; log: Logger };

/** SQLSTATE of a deadlock; the whole batch was rolled back, so it can be sent again. */
const DEADLOCK_SQLSTATE = "40P01";

/**
 * SQLSTATE classes of an error one reply's data causes (22 data exception, 23 integrity constraint):
 * sending that reply again cannot help, and the other replies of its batch should not pay for it.
 * Anything else (connection, resources, a missing function) is the database's state, retried later.
 */
const REFUSED_REPLY_CLASSES = new Set(["22", "23"]);

// Only the saved message's id is read: the reply is committed whatever else its row holds.
const ZOutcome = z.union([
  z.object({ delivery_id: z.string(), ok: z.literal(true), message: z.looseObject({ id: z.string() }) }),
  z.object({ delivery_id: z.string(), ok: z.literal(false), code: z.string(), error: z.string(), hint: z.string().nullable() }),
]);
const ZCompleted = z.object({ saved: z.array(ZOutcome), claimed: z.array(z.unknown()) });
type TOutcome = z.infer<typeof ZOutcome>;

/** The database refused a reply's data; the whole call was rolled back. */
class ReplyRefused extends Error {
  constructor(readonly error: { code?: string; message: string; hint?: string | null }) {
    super(error.message);
  }

  /** The refusal as the outcome of delivery `deliveryId`. */
  outcome(deliveryId: string): TOutcome {
    return {
      delivery_id: deliveryId,
      ok: false,
      code: this.error.code ?? "22000",
      error: this.error.message,
      hint: this.error.hint ?? null,
    };
  }
}

/**
 * Saves `replies` in one complete_chat_deliveries call (per reply: the reply message, the delivery
 * processed, an activity, and the provider call's record) and claims up to `claimLimit` more deliveries in the same transaction.
 * Each reply gets its own outcome, so a refused one does not undo the others. A deadlock sends the
 * call again; a reply whose data the database refuses rolls back the call, and then the replies are
 * saved one by one (claiming nothing), so only that one fails. Throws when the call failed as a
 * whole (`database_unreachable`; `internal` for an answer of an unexpected shape).
 */
export async function saveReplies(
  db: TDb,
  options: TSaveRepliesOptions,
  replies: readonly TReplyToSave[],
  claimLimit: number,
): Promise<TSavedReplies> {
  try {
    const result = await sendOnce(db, options, replies, claimLimit);
    return { saved: resultsOf(replies, result.saved), claimed: result.claimed };
  } catch (err) {
    if (!(err instanceof ReplyRefused)) throw err;
    const [only] = replies;
    if (only && replies.length === 1) return { saved: resultsOf(replies, [err.outcome(only.deliveryId)]), claimed: null };
    options.log.warn({ err: err.error, replies: replies.length }, "a reply was refused and rolled back its batch; saving them one by one");
    const outcomes: TOutcome[] = [];
    for (const item of replies) {
      const outcome = await sendOnce(db, options, [item], 0).then(
        (result) => result.saved.find((o) => o.delivery_id === item.deliveryId),
        (oneErr: unknown) => {
          if (oneErr instanceof ReplyRefused) return oneErr.outcome(item.deliveryId);
          throw oneErr;
        },
      );
      if (outcome) outcomes.push(outcome);
    }
    return { saved: resultsOf(replies, outcomes), claimed: null };
  }
}

async function sendOnce(
  db: TDb,
  options: TSaveRepliesOptions,
  replies: readonly TReplyToSave[],
  claimLimit: number,
): Promise<{ saved: TOutcome[]; claimed: TClaimedDelivery[] }> {
  const payload = replies.map((item) =>
    item.call
      ? { delivery_id: item.deliveryId, reply: item.reply, metadata: item.metadata, call: item.call }
      : { delivery_id: item.deliveryId, reply: item.reply, metadata: item.metadata },
  );
  for (let attempt = 1; ; attempt++) {
    const { data, error } = await db.rpc("complete_chat_deliveries", {
      p_executor_id: options.executorId,
      p_replies: payload as Json,
      p_claim_limit: claimLimit,
      p_history_limit: options.historyLimit,
    });
    if (error?.code === DEADLOCK_SQLSTATE && attempt < 3) {
      options.log.warn({ attempt, replies: replies.length }, "saving replies hit a deadlock; sending the batch again");
      continue;
    }
    if (error && REFUSED_REPLY_CLASSES.has(error.code?.slice(0, 2) ?? "")) throw new ReplyRefused(error);
    if (error) throw readDbError(error, "Could not save the agent's reply", "database_unreachable");
    const parsed = ZCompleted.safeParse(data);
    if (!parsed.success) {
      throw new AppError("internal", {
        message: `complete_chat_deliveries returned an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"} (are the migrations up to date?)`,
      });
    }
    const claimed = decodeClaimedDeliveries(parsed.data.claimed, "complete_chat_deliveries", (err) =>
      options.log.error({ err }, "a delivery claimed along did not decode; the orphan check hands it back"),
    );
    return { saved: parsed.data.saved, claimed };
  }
}

/**
 * The result of each reply by its delivery id; a delivery listed twice keeps its first outcome (the
 * save), not the refusal of the repeat; a reply the database did not answer for is an internal error.
 */
function resultsOf(replies: readonly TReplyToSave[], outcomes: readonly TOutcome[]): Map<string, TSavedReply | AppError> {
  const byId = new Map<string, TOutcome>();
  for (const outcome of outcomes) if (!byId.has(outcome.delivery_id)) byId.set(outcome.delivery_id, outcome);
  const results = new Map<string, TSavedReply | AppError>();
  for (const { deliveryId } of replies) {
    const outcome = byId.get(deliveryId);
    if (!outcome) {
      results.set(
        deliveryId,
        new AppError("internal", { message: `complete_chat_deliveries returned no outcome for delivery ${deliveryId}` }),
      );
    } else results.set(deliveryId, outcome.ok ? { messageId: outcome.message.id } : refusal(outcome));
  }
  return results;
}

/** The AppError for a reply the database refused, by the SQLSTATE save_chat_reply answered. */
function refusal(outcome: Extract<TOutcome, { ok: false }>): AppError {
  const hint = outcome.hint ? ` (${outcome.hint})` : "";
  const details = { sqlstate: outcome.code, deliveryId: outcome.delivery_id };
  switch (outcome.code) {
    case CLAIM_LOST_SQLSTATE:
    case NO_DELIVERY_SQLSTATE:
      return new AppError("conflict", { message: `The reply was dropped: ${outcome.error}${hint}`, details });
    case POSTING_LIMIT_SQLSTATE:
      return new AppError("forbidden", { message: `The reply was not posted: ${outcome.error}${hint}`, details });
    default:
      return new AppError("invalid_input", { message: `The reply was refused: ${outcome.error}${hint}`, details });
  }
}
