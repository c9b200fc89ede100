import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import { z } from "zod";
import type { TDb, TDeliveryRow, TMessageRow } from "../db/executor-client.ts";
import { CLAIM_LOST_SQLSTATE, NO_DELIVERY_SQLSTATE, POSTING_LIMIT_SQLSTATE, readDbError } from "../db/read-db-error.ts";
import type { TClaimedDelivery } from "./claim-deliveries.ts";

/** One agent reply to save for a delivery this executor holds. */
export type TReplyToSave = { deliveryId: string; reply: string; metadata: Record<string, unknown> };

/** Slots reserved for deliveries claimed along with saving replies (see TDeliveryWorker.reserve). */
export type TClaimReservation = {
  /** How many deliveries to claim; 0 claims none. */
  limit: number;
  /** Takes what was claimed (null when the call failed); called before the saved replies' promises settle. */
  settle(claimed: TClaimedDelivery[] | null): void;
};

/** Lets the call that saves replies also claim the next deliveries, for the delivery worker. */
export type TClaimAlong = {
  /** Thread messages read with each claimed delivery (HISTORY_MESSAGES). */
  historyLimit: number;
  /** Reserves the worker's slots for a batch that saves `saving` replies. */
  reserve(saving: number): TClaimReservation;
};

/** Saves agents' replies, several per round trip when they come together. */
export interface TReplySaver {
  /**
   * Writes the reply and marks the delivery processed (complete_chat_deliveries). Throws `conflict`
   * when this executor no longer holds the claim (the watchdog or another executor took it over:
   * drop the reply), `forbidden` when the agent reached its Team Room posting limit (a permanent
   * failure), and `database_unreachable` when the call failed (then fail_chat_delivery settles it:
   * a reply that was committed after all leaves the delivery processed, and the retry is refused).
   */
  save(reply: TReplyToSave): Promise<TMessageRow>;
  /** Resolves when every reply handed over so far is saved or refused. */
  flush(): Promise<void>;
}

/** SQLSTATE of a deadlock; the whole batch was rolled back, so it can be sent again. */
const DEADLOCK_SQLSTATE = "40P01";

const ZOutcome = z.union([
  z.object({ delivery_id: z.string(), ok: z.literal(true), message: z.looseObject({ id: z.string() }) }),
  z.object({ delivery_id: z.string(), ok: z.literal(false), code: z.string(), error: z.string(), hint: z.string().nullable() }),
]);
const ZCompleted = z.object({
  saved: z.array(ZOutcome),
  claimed: z.array(z.object({ delivery: z.looseObject({ id: z.string() }), context: z.unknown() })),
});
type TOutcome = z.infer<typeof ZOutcome>;

const NO_RESERVATION: TClaimReservation = { limit: 0, settle: () => {} };

/**
 * SQLSTATE classes of an error one reply's data causes (22 data exception, 23 integrity constraint):
 * sending that reply again cannot help, and the other replies of its batch should not pay for it.
 * Anything else (connection, resources, a missing function) is the database's state, retried later.
 */
const REFUSED_REPLY_CLASSES = new Set(["22", "23"]);

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

type TPending = TReplyToSave & { resolve: (row: TMessageRow) => void; reject: (err: Error) => void };

/**
 * Creates a reply saver that works like a group commit: a reply is sent on the next turn of the
 * event loop together with every other reply ready by then, and while one call is in flight the
 * replies that arrive wait and go together in the next one. An idle executor saves a reply at
 * once; a busy one saves many per transaction. Each reply gets its own outcome, so a refused one
 * does not undo the others. With `claimAlong`, the same call claims deliveries for the slots the
 * saved replies free, so a busy worker needs one round trip per batch.
 */
export function createReplySaver(
  db: TDb,
  options: { executorId: string; log: Logger; maxBatch?: number; claimAlong?: TClaimAlong },
): TReplySaver {
  const maxBatch = options.maxBatch ?? 100;
  const queue: TPending[] = [];
  const drainedWaiters = new Set<() => void>();
  let sending = false;
  let scheduled = false;

  const schedule = () => {
    if (sending || scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void sendNext();
    });
  };

  const sendNext = async () => {
    if (sending || queue.length === 0) return;
    sending = true;
    const batch = queue.splice(0, maxBatch);
    try {
      // send() hands deliveries claimed along to the worker first: they take the slots before the finished ones free them.
      const outcomes = await send(batch);
      for (const item of batch) {
        const outcome = outcomes.get(item.deliveryId);
        if (outcome?.ok) item.resolve(outcome.message as unknown as TMessageRow);
        else item.reject(outcome ? refusal(outcome) : missingOutcome(item.deliveryId));
      }
    } catch (err) {
      for (const item of batch) item.reject(err as Error);
    } finally {
      sending = false;
      if (queue.length > 0) void sendNext();
      else for (const resolve of drainedWaiters) resolve();
    }
  };

  const send = async (batch: TPending[]): Promise<Map<string, TOutcome>> => {
    const reservation = options.claimAlong?.reserve(batch.length) ?? NO_RESERVATION;
    try {
      const result = await sendOnce(batch, reservation.limit);
      reservation.settle(result.claimed);
      return result.saved;
    } catch (err) {
      reservation.settle(null);
      if (!(err instanceof ReplyRefused)) throw err;
      // One reply broke the statement (a constraint, bad data) and rolled back the batch: save them one by one,
      // so only that one fails.
      const [only] = batch;
      if (only && batch.length === 1) return new Map([[only.deliveryId, err.outcome(only.deliveryId)]]);
      options.log.warn({ err: err.error, replies: batch.length }, "a reply was refused and rolled back its batch; saving them one by one");
      const saved = new Map<string, TOutcome>();
      for (const item of batch) {
        const outcome = await sendOnce([item], 0).then(
          (result) => result.saved.get(item.deliveryId) ?? null,
          (oneErr: unknown) => {
            if (oneErr instanceof ReplyRefused) return oneErr.outcome(item.deliveryId);
            throw oneErr;
          },
        );
        if (outcome) saved.set(item.deliveryId, outcome);
      }
      return saved;
    }
  };

  const sendOnce = async (
    items: TPending[],
    claimLimit: number,
  ): Promise<{ saved: Map<string, TOutcome>; claimed: TClaimedDelivery[] }> => {
    const replies = items.map((item) => ({ delivery_id: item.deliveryId, reply: item.reply, metadata: item.metadata }));
    for (let attempt = 1; ; attempt++) {
      const { data, error } = await db.rpc("complete_chat_deliveries", {
        p_executor_id: options.executorId,
        p_replies: replies as Json,
        p_claim_limit: claimLimit,
        p_history_limit: options.claimAlong?.historyLimit ?? 0,
      });
      if (error?.code === DEADLOCK_SQLSTATE && attempt < 3) {
        options.log.warn({ attempt, replies: items.length }, "saving replies hit a deadlock; sending the batch again");
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
      return {
        saved: firstOutcomes(parsed.data.saved),
        claimed: parsed.data.claimed.map(({ delivery, context }) => ({
          id: delivery.id,
          delivery: delivery as unknown as TDeliveryRow,
          context,
        })),
      };
    }
  };

  return {
    save(reply) {
      return new Promise<TMessageRow>((resolve, reject) => {
        queue.push({ ...reply, resolve, reject });
        schedule();
      });
    },
    flush() {
      if (!sending && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          drainedWaiters.delete(done);
          resolve();
        };
        drainedWaiters.add(done);
      });
    },
  };
}

/** The AppError for a reply the database refused, by the SQLSTATE complete_chat_delivery would raise. */
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

/** Outcomes by delivery id; a delivery listed twice keeps its first outcome (the save), not the refusal of the repeat. */
function firstOutcomes(outcomes: readonly TOutcome[]): Map<string, TOutcome> {
  const byId = new Map<string, TOutcome>();
  for (const outcome of outcomes) if (!byId.has(outcome.delivery_id)) byId.set(outcome.delivery_id, outcome);
  return byId;
}

function missingOutcome(deliveryId: string): AppError {
  return new AppError("internal", { message: `complete_chat_deliveries returned no outcome for delivery ${deliveryId}` });
}
