import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import type { TResolvedSettings } from "@mission-control/shared/schemas";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** A provider call a delivery is about to make, as provider_calls records it (the executor picks the id). */
export type TProviderCallPlan = {
  id: string;
  project_id: string;
  agent_id: string;
  agent_key: string;
  /** The delivery the call answers; null for a run's model step (the run counts its own tokens and cost). */
  delivery_id: string | null;
  /** The provider actually called: the effective one, or `builtin` when it fell back. */
  provider: string;
  connection_id: string | null;
  model: string;
  /** Counted input tokens plus the output limit: what the call may cost at most, held against budgets while it runs. */
  reserved_tokens: number;
  /** The effective settings and where each came from. */
  settings: TResolvedSettings;
};

/** A provider call that ended, as record_provider_call and complete_chat_deliveries' `call` take it. */
export type TProviderCallRecord = TProviderCallPlan & {
  input_tokens: number;
  output_tokens: number;
  estimated: boolean;
  latency_ms: number;
  outcome: "ok" | "error";
  error: string | null;
};

const ZReservation = z.object({ ok: z.boolean(), outcome: z.string(), reason: z.string().nullable() });
const ZReservations = z.array(ZReservation);

/** Reserves provider calls against budgets, batching the reservations made at the same time. */
export interface TCallReserver {
  /**
   * Resolves when the call may be made; throws `budget_exceeded` with the database's sentence
   * ("Budget exceeded: project daily token budget 1,000 (used 1,020). Raise it in Usage → Budgets,
   * then retry.") when it would pass a hard limit, and `database_unreachable` when the check could
   * not be made (the delivery is retried).
   */
  reserve(plan: TProviderCallPlan): Promise<void>;
}

type TPending = { plan: TProviderCallPlan; resolve: () => void; reject: (err: unknown) => void };

/**
 * Creates the reserver of one executor. Like saving replies, reservations are group-committed:
 * every reservation asked for on the same turn of the event loop, or while the previous batch is in
 * flight, goes in one `reserve_provider_calls` call (which locks the budgets that apply, so executors
 * check them one batch at a time, reads what each has used once per batch from its running total,
 * and holds each accepted call in budget_holds until it is recorded). A batch the database refuses
 * rejects each of its reservations with that error.
 */
export function createCallReserver(db: TDb): TCallReserver {
  let queue: TPending[] = [];
  let scheduled = false;
  let inFlight = false;

  const flush = async () => {
    scheduled = false;
    if (inFlight || queue.length === 0) return;
    const batch = queue;
    queue = [];
    inFlight = true;
    try {
      const answers = await reserveBatch(
        db,
        batch.map((pending) => pending.plan),
      );
      batch.forEach((pending, i) => {
        const answer = answers[i];
        if (answer?.ok) pending.resolve();
        else pending.reject(refusal(pending.plan, answer?.reason ?? null));
      });
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    } finally {
      inFlight = false;
      if (queue.length > 0) schedule();
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  return {
    reserve(plan) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ plan, resolve, reject });
        if (!inFlight) schedule();
      });
    },
  };
}

async function reserveBatch(db: TDb, plans: TProviderCallPlan[]): Promise<z.infer<typeof ZReservations>> {
  const { data, error } = await db.rpc("reserve_provider_calls", { p_calls: plans as unknown as Json });
  if (error) throw readDbError(error, "Could not check the budgets before calling the provider", "database_unreachable");
  const answers = ZReservations.safeParse(data);
  if (!answers.success || answers.data.length !== plans.length) {
    throw new AppError("internal", {
      message: `reserve_provider_calls returned an unexpected shape: ${answers.success ? "one answer per call expected" : (answers.error.issues[0]?.message ?? "invalid")} (are the migrations up to date?)`,
    });
  }
  return answers.data;
}

function refusal(plan: TProviderCallPlan, reason: string | null): AppError {
  return new AppError("budget_exceeded", {
    message: reason ?? "Budget exceeded: raise the budget in Usage → Budgets, then retry",
    details: { callId: plan.id, agentKey: plan.agent_key },
  });
}
