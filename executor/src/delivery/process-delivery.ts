import type { Logger } from "pino";
import type { TAgentRuntime } from "../agents/create-agent-runtime.ts";
import type { TAgentStatusWriter } from "../agents/create-agent-status-writer.ts";
import type { TOperatorNames } from "../agents/create-operator-names.ts";
import { describeCurrentAction } from "../agents/describe-current-action.ts";
import { oneLine } from "../agents/set-agent-status.ts";
import type { TDb } from "../db/executor-client.ts";
import { applyReplyProposal } from "../proposals/apply-reply-proposal.ts";
import { computeBackoff } from "../worker/compute-backoff.ts";
import type { TClaimedDelivery } from "./claim-deliveries.ts";
import { classifyDeliveryError } from "./classify-delivery-error.ts";
import type { TReplySaver } from "./create-reply-saver.ts";
import { failDelivery } from "./fail-delivery.ts";
import { fitReplyText } from "./fit-reply-text.ts";
import { readDeliveryInput } from "./read-delivery-input.ts";

/** What processing one delivery needs; shared by every delivery of a worker. */
export type TDeliveryDeps = {
  db: TDb;
  executorId: string;
  runtime: TAgentRuntime;
  operatorNames: TOperatorNames;
  statusWriter: TAgentStatusWriter;
  replies: TReplySaver;
  retry: { baseMs: number; maxMs: number };
  /** Counts deliveries in flight per agent, so an agent goes idle only when its last one ends. */
  agentLoad: Map<string, number>;
  log: Logger;
};

/** How one delivery ended. */
export type TDeliveryOutcome = "replied" | "requeued" | "failed" | "claim_lost" | "aborted";

/**
 * Runs one claimed delivery: agent → working ("Replying to Ada in DM"), check the profile, mission,
 * docs and thread the claim read, assemble the context, call the provider, save the reply with
 * model, usage and context breakdown (the reply saver batches it with others), agent → idle with
 * its context usage. A ```proposal block in the reply is inserted as an action proposal and taken
 * out of the visible text. On error:
 * transient → requeued after capped exponential back-off with jitter; permanent → failed with the
 * reason; agent → error. When `signal` aborts (shutdown) nothing is written: the worker releases it.
 */
export async function processDelivery(deps: TDeliveryDeps, claimed: TClaimedDelivery, signal: AbortSignal): Promise<TDeliveryOutcome> {
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
    const input = readDeliveryInput(claimed);
    agentId = input.agent.id;
    deps.agentLoad.set(agentId, (deps.agentLoad.get(agentId) ?? 0) + 1);
    const operator = await deps.operatorNames.nameOf(input.message.author_user_id);
    deps.statusWriter.set(agentId, { status: "working", currentAction: describeCurrentAction(input, operator) });
    const reply = await deps.runtime.reply(input, signal);
    signal.throwIfAborted();
    // A ```proposal block becomes an action_proposals row (a card), not text in the thread.
    const applied = await applyReplyProposal(deps.db, input, reply.text);
    await deps.replies.save({
      deliveryId: delivery.id,
      reply: fitReplyText(applied.text),
      metadata:
        applied.proposalId || applied.proposalError
          ? { ...reply.metadata, proposal_id: applied.proposalId, proposal_error: applied.proposalError }
          : reply.metadata,
    });
    const repliedAgent = agentId;
    agentId = null;
    if (releaseAgent(deps, repliedAgent) === 0) {
      deps.statusWriter.set(repliedAgent, { status: "idle", currentAction: "", contextUsage: reply.contextUsage, lastModel: reply.model });
    }
    log.info(
      { model: reply.model, offline: reply.metadata.offline, usage: reply.metadata.usage, ms: Math.round(performance.now() - startedAt) },
      "delivery replied",
    );
    return "replied";
  } catch (err) {
    const stillCounted = agentId;
    const remaining = stillCounted ? releaseAgent(deps, stillCounted) : 0;
    if (signal.aborted) {
      if (stillCounted && remaining === 0)
        deps.statusWriter.set(stillCounted, { status: "idle", currentAction: "Handed back to the queue: the executor stopped" });
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
    if (stillCounted && remaining === 0) {
      const action = requeued ? `Retrying after an error: ${failure.reason}` : `Failed: ${failure.reason}`;
      deps.statusWriter.set(stillCounted, { status: "error", currentAction: oneLine(action, 300) });
    }
    return requeued ? "requeued" : outcome ? "failed" : "claim_lost";
  }
}

function releaseAgent(deps: TDeliveryDeps, agentId: string): number {
  const left = (deps.agentLoad.get(agentId) ?? 1) - 1;
  if (left <= 0) deps.agentLoad.delete(agentId);
  else deps.agentLoad.set(agentId, left);
  return Math.max(0, left);
}
