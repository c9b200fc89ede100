import { AppError } from "@mission-control/shared/errors";
import { resolveAgentSettings } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import type { TAgentLoad } from "../agents/create-agent-load.ts";
import type { TAgentRuntime } from "../agents/create-agent-runtime.ts";
import type { TAgentStatusWriter } from "../agents/create-agent-status-writer.ts";
import type { TOperatorNames } from "../agents/create-operator-names.ts";
import { describeCurrentAction } from "../agents/describe-current-action.ts";
import { oneLine } from "../agents/set-agent-status.ts";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import { applyReplyProposal } from "../proposals/apply-reply-proposal.ts";
import { computeBackoff } from "../worker/compute-backoff.ts";
import { classifyDeliveryError } from "./classify-delivery-error.ts";
import type { TClaimedDelivery, TDeliveryInput } from "./decode-claimed-delivery.ts";
import { failDelivery } from "./fail-delivery.ts";
import { fitReplyText } from "./fit-reply-text.ts";
import { recordProviderCall } from "./record-provider-call.ts";
import type { TCallReserver, TProviderCallPlan } from "./reserve-provider-call.ts";
import type { TReplyToSave, TSavedReply } from "./save-replies.ts";

/** What processing one delivery needs; shared by every delivery of a worker. */
export type TDeliveryDeps = {
  db: TDb;
  executorId: string;
  runtime: TAgentRuntime;
  operatorNames: TOperatorNames;
  statusWriter: TAgentStatusWriter;
  retry: { baseMs: number; maxMs: number };
  agentLoad: TAgentLoad;
  /** Reserves calls against budgets (batched per executor). */
  reserver: TCallReserver;
  log: Logger;
};

/** How one delivery ended. */
export type TDeliveryOutcome = "replied" | "requeued" | "failed" | "claim_lost" | "aborted";

/** What processing one delivery came to. */
export type TProcessed =
  /** Nothing to save: its failure is recorded (requeued or failed), its claim was lost, or the executor is stopping. */
  | { kind: "ended"; outcome: TDeliveryOutcome }
  /**
   * The agent answered: the worker saves `reply` (with others ready at the same time), then calls
   * `finish` once with the saved message, or with the error that kept it from being saved.
   */
  | { kind: "reply"; reply: TReplyToSave; finish(saved: TSavedReply | AppError): Promise<TDeliveryOutcome> };

/**
 * Runs one claimed delivery up to its reply: agent → working ("Replying to Ada in DM"), resolve its
 * effective settings and assemble the context from what the claim read, reserve the call against
 * the budgets that apply (a hard budget reached: no call, the delivery fails with "Budget
 * exceeded: …" and the agent shows paused), call the provider, and shape the reply with model,
 * usage, effective settings and context breakdown; the call's record is saved with the reply, or
 * on its own when the call failed. A ```proposal block in the reply is inserted as an action
 * proposal (if the agent's tools and risk tolerance allow it) and taken out of the visible text.
 * Once the worker saved the reply, `finish` sets the agent idle with its context usage. On error
 * (here or a refused save): transient → requeued after capped exponential back-off with jitter;
 * permanent → failed with the reason; agent → error. When `signal` aborts (shutdown) nothing but
 * the call's record is written: the worker releases the delivery.
 */
export async function processDelivery(deps: TDeliveryDeps, claimed: TClaimedDelivery, signal: AbortSignal): Promise<TProcessed> {
  const { delivery } = claimed;
  const log = deps.log.child({
    deliveryId: delivery.id,
    messageId: delivery.message_id,
    agentKey: delivery.agent_key,
    attempt: delivery.attempts,
  });
  const startedAt = performance.now();
  let agentId: string | null = null;
  try {
    if (claimed.input instanceof AppError) throw claimed.input;
    const input = claimed.input;
    agentId = input.agent.id;
    deps.agentLoad.add(agentId);
    const { reservation } = input;
    // A hard budget is checked (and the call's worst case held against it) before anything is spent:
    // by the claim itself, or here when the claim did not (a call reserved by another path).
    if (reservation && !reservation.ok) throw budgetRefusal(reservation.reason, input.delivery.agent_key);
    const operator = await deps.operatorNames.nameOf(input.message.author_user_id);
    deps.statusWriter.set(agentId, { status: "working", currentAction: describeCurrentAction(input, operator) });
    const replying = agentId;
    let prepared: ReturnType<typeof deps.runtime.prepare>;
    try {
      prepared = deps.runtime.prepare(input);
    } catch (err) {
      if (reservation) await recordUnsavedCall(deps, unpreparedCall(input, reservation.callId), err, log);
      throw err;
    }
    const turn = reservation ? { ...prepared, call: { ...prepared.call, id: reservation.callId } } : prepared;
    if (!reservation && input.budgetsApply) await deps.reserver.reserve(turn.call);
    const callStartedAt = performance.now();
    const cliName = turn.run.providerConfig.kind === "cli" ? (turn.run.providerConfig.name ?? "CLI agent") : null;
    const reply = await deps.runtime
      .complete(turn, {
        signal,
        ...(cliName
          ? { onOutput: (line: string) => deps.statusWriter.set(replying, { status: "working", currentAction: `${cliName}: ${line}` }) }
          : {}),
      })
      .catch(async (err: unknown) => {
        await recordUnsavedCall(deps, { ...turn.call, latency_ms: Math.round(performance.now() - callStartedAt) }, err, log);
        throw err;
      });
    let applied: Awaited<ReturnType<typeof applyReplyProposal>>;
    try {
      signal.throwIfAborted();
      // A ```proposal block becomes an action_proposals row (a card), not text in the thread.
      applied = await applyReplyProposal(deps.db, input, reply.text);
    } catch (err) {
      await recordUnsavedCall(deps, reply.call, err, log);
      throw err;
    }
    return {
      kind: "reply",
      reply: {
        deliveryId: delivery.id,
        reply: fitReplyText(applied.text),
        metadata:
          applied.proposalId || applied.proposalError
            ? { ...reply.metadata, proposal_id: applied.proposalId, proposal_error: applied.proposalError }
            : reply.metadata,
        call: reply.call,
      },
      finish: async (saved) => {
        if (saved instanceof AppError) {
          // Usually recorded with the refused reply already (then this is a no-op); not when the whole save failed.
          await recordUnsavedCall(deps, reply.call, saved, log);
          return recordFailure(deps, { delivery, agentId: replying, err: saved, signal, log });
        }
        if (deps.agentLoad.remove(replying) === 0) {
          deps.statusWriter.set(replying, { status: "idle", currentAction: "", contextUsage: reply.contextUsage, lastModel: reply.model });
        }
        log.info(
          {
            model: reply.model,
            offline: reply.metadata.offline,
            usage: reply.metadata.usage,
            ms: Math.round(performance.now() - startedAt),
          },
          "delivery replied",
        );
        return "replied";
      },
    };
  } catch (err) {
    return { kind: "ended", outcome: await recordFailure(deps, { delivery, agentId, err, signal, log }) };
  }
}

/** The refusal of a call the claim could not reserve within the budgets. */
function budgetRefusal(reason: string | null, agentKey: string): AppError {
  return new AppError("budget_exceeded", {
    message: reason ?? "Budget exceeded: raise the budget in Usage → Budgets, then retry",
    details: { agentKey },
  });
}

/** The record of a reserved call that was never made because its settings could not be resolved. */
function unpreparedCall(input: TDeliveryInput, callId: string): TProviderCallPlan & { latency_ms: number } {
  return {
    id: callId,
    project_id: input.delivery.project_id,
    agent_id: input.agent.id,
    agent_key: input.agent.agent_key,
    delivery_id: input.delivery.id,
    provider: "builtin",
    connection_id: null,
    model: "unknown",
    reserved_tokens: 0,
    settings: resolveAgentSettings({}),
    latency_ms: 0,
  };
}

/**
 * Records a provider call whose reply will not be saved (the call failed, was interrupted, or what
 * followed it did), so its reservation stops counting against budgets and its tokens are kept.
 * Best effort: the delivery's own failure is what matters, so a write that fails is only logged.
 */
async function recordUnsavedCall(
  deps: TDeliveryDeps,
  call: TProviderCallPlan & { latency_ms: number; input_tokens?: number; output_tokens?: number; estimated?: boolean },
  err: unknown,
  log: Logger,
): Promise<void> {
  const reason = err instanceof Error ? err.message : String(err);
  await recordProviderCall(deps.db, {
    input_tokens: 0,
    output_tokens: 0,
    estimated: true,
    ...call,
    outcome: "error",
    error: oneLine(reason, 2_000),
  }).catch((recordErr: unknown) => log.warn({ err: recordErr, callId: call.id }, "could not record the failed provider call"));
}

/**
 * Records why a delivery did not get its reply saved and sets the agent's status (`agentId`: the
 * agent counted in agentLoad for it, if any). Throws only when the failure cannot be written.
 */
async function recordFailure(
  deps: TDeliveryDeps,
  failed: { delivery: TDeliveryRow; agentId: string | null; err: unknown; signal: AbortSignal; log: Logger },
): Promise<TDeliveryOutcome> {
  const { delivery, agentId, err, signal, log } = failed;
  const remaining = agentId ? deps.agentLoad.remove(agentId) : 0;
  if (signal.aborted) {
    if (agentId && remaining === 0)
      deps.statusWriter.set(agentId, { status: "idle", currentAction: "Handed back to the queue: the executor stopped" });
    log.warn({ err }, "delivery interrupted by shutdown; it will be released to the queue");
    return "aborted";
  }
  const failure = classifyDeliveryError(err);
  if (failure.kind === "claim_lost") {
    log.warn({ reason: failure.reason }, "claim lost before the reply was saved; dropping the reply");
    return "claim_lost";
  }
  const retryAfterMs =
    failure.kind === "transient"
      ? computeBackoff({ attempt: delivery.attempts, baseMs: deps.retry.baseMs, maxMs: deps.retry.maxMs })
      : null;
  const outcome = await failDelivery(deps.db, {
    deliveryId: delivery.id,
    executorId: deps.executorId,
    error: failure.reason,
    retryAfterMs,
  });
  const requeued = outcome?.status === "queued";
  log.error(
    { err, code: failure.code, kind: failure.kind, retryAfterMs, requeued },
    requeued ? "delivery failed; retrying later" : "delivery failed",
  );
  if (agentId && remaining === 0) {
    if (failure.code === "budget_exceeded") {
      const detail = failure.reason.replace(/^budget exceeded[:.]?\s*/i, "");
      deps.statusWriter.set(agentId, { status: "paused", currentAction: oneLine(`Paused: budget exceeded (${detail})`, 300) });
    } else {
      const action = requeued ? `Retrying after an error: ${failure.reason}` : `Failed: ${failure.reason}`;
      deps.statusWriter.set(agentId, { status: "error", currentAction: oneLine(action, 300) });
    }
  }
  return requeued ? "requeued" : outcome ? "failed" : "claim_lost";
}
