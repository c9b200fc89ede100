import { AppError } from "@mission-control/shared/errors";
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
import type { TClaimedDelivery } from "./decode-claimed-delivery.ts";
import { failDelivery } from "./fail-delivery.ts";
import { fitReplyText } from "./fit-reply-text.ts";
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
 * Runs one claimed delivery up to its reply: agent → working ("Replying to Ada in DM"), assemble
 * the context from what the claim read, call the provider, and shape the reply with model, usage
 * and context breakdown. A ```proposal block in the reply is inserted as an action proposal and
 * taken out of the visible text. Once the worker saved the reply, `finish` sets the agent idle with
 * its context usage. On error (here or a refused save): transient → requeued after capped
 * exponential back-off with jitter; permanent → failed with the reason; agent → error. When
 * `signal` aborts (shutdown) nothing is written: the worker releases the delivery.
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
    const operator = await deps.operatorNames.nameOf(input.message.author_user_id);
    deps.statusWriter.set(agentId, { status: "working", currentAction: describeCurrentAction(input, operator) });
    const reply = await deps.runtime.reply(input, signal);
    signal.throwIfAborted();
    // A ```proposal block becomes an action_proposals row (a card), not text in the thread.
    const applied = await applyReplyProposal(deps.db, input, reply.text);
    const replying = agentId;
    return {
      kind: "reply",
      reply: {
        deliveryId: delivery.id,
        reply: fitReplyText(applied.text),
        metadata:
          applied.proposalId || applied.proposalError
            ? { ...reply.metadata, proposal_id: applied.proposalId, proposal_error: applied.proposalError }
            : reply.metadata,
      },
      finish: async (saved) => {
        if (saved instanceof AppError) return recordFailure(deps, { delivery, agentId: replying, err: saved, signal, log });
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
    const action = requeued ? `Retrying after an error: ${failure.reason}` : `Failed: ${failure.reason}`;
    deps.statusWriter.set(agentId, { status: "error", currentAction: oneLine(action, 300) });
  }
  return requeued ? "requeued" : outcome ? "failed" : "claim_lost";
}
