import type { Json } from "@mission-control/shared/db";
import { AppError, coerceError } from "@mission-control/shared/errors";
import type { TActionOutcome, TProposalRow } from "../actions/action-types.ts";
import { runAction } from "../actions/run-action.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError, STATE_CONFLICT_SQLSTATE } from "../db/read-db-error.ts";
import { readActionIntent, recordActionIntent, type TActionIntent } from "./action-intent.ts";
import { checkProposalEffect } from "./check-proposal-effect.ts";
import type { TApprovalDeps, TApprovalOutcome } from "./execute-proposal.ts";

/** Delays between attempts to record a decision when the database does not answer. */
const FINISH_RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];

/**
 * Reconciles a proposal whose executor died mid-action (claimed with claim_proposals_to_reconcile):
 * checks whether its action took effect and records executed (with the result), runs it again
 * exactly once when it provably did not happen (record_action_intent stamps the retry first, so a
 * second reconciler never runs it again), or fails it as outcome unknown with the reason. Every
 * decision is a sentence on the proposal (result or error) and an approval.reconciled activity.
 */
export async function reconcileProposal(deps: TApprovalDeps, proposal: TProposalRow, signal: AbortSignal): Promise<TApprovalOutcome> {
  try {
    return await reconcile(deps, proposal, signal);
  } catch (err) {
    // The database did not answer: leave the claim; the watchdog hands it out again when it is
    // stuck (at most action_reconcile_limit() times).
    if (err instanceof AppError && err.code === "database_unreachable") throw err;
    // A check that cannot be made (the file cannot be read) says nothing about the effect:
    // record it as unknown with the reason.
    const reason = coerceError(err).message;
    deps.log.error({ err, proposalId: proposal.id }, "reconciling a proposal failed; recording it as outcome unknown");
    return finish(deps, proposal, {
      ok: false,
      decision: `Outcome unknown: checking its effect failed (${reason}). Check before retrying.`,
      error: `outcome unknown: checking its effect failed (${reason}); check before retrying`,
    });
  }
}

async function reconcile(deps: TApprovalDeps, proposal: TProposalRow, signal: AbortSignal): Promise<TApprovalOutcome> {
  const log = deps.log.child({
    proposalId: proposal.id,
    actionType: proposal.action_type,
    projectId: proposal.project_id,
    reconcile: true,
  });
  const checkpoint = await readCheckpoint(deps.db, proposal.id);
  const died = `executor ${proposal.claimed_by ?? "?"} ${checkpoint.reconcile_reason === "its executor died mid-action" ? "died" : "got stuck"} mid-action`;
  const effect = await checkProposalEffect(deps.db, {
    proposal,
    intent: (checkpoint.intent && "kind" in checkpoint.intent ? checkpoint.intent : null) as TActionIntent | null,
    workspaceDir: deps.workspaceDir,
  });
  log.info({ effect: effect.state, sentence: effect.sentence }, "reconciling a proposal left by a crash");

  if (effect.state === "happened") {
    const decision = `It had happened before ${died}: ${effect.sentence}. Recorded as executed.`;
    return finish(deps, proposal, { ok: true, decision, result: withDecision(effect.result, decision) });
  }
  if (effect.state === "unknown") {
    const decision = `Outcome unknown after ${died}: ${effect.sentence}. Check before retrying.`;
    return finish(deps, proposal, { ok: false, decision, error: `outcome unknown: ${effect.sentence}; check before retrying` });
  }
  if (checkpoint.retried_at) {
    const decision = `It did not happen (${effect.sentence}), and it was already run again once after ${died}. Nothing ran this time: retry it by hand.`;
    return finish(deps, proposal, {
      ok: false,
      decision,
      error: `did not happen: ${effect.sentence}; already retried once, retry it by hand`,
    });
  }
  const intent = await readActionIntent(deps.db, proposal, deps.workspaceDir);
  if (!(await recordActionIntent(deps.db, { proposalId: proposal.id, executorId: deps.executorId, intent, retry: true }))) {
    log.warn("another executor holds the reconciliation, or the retry was used; running nothing");
    return "claim_lost";
  }
  let outcome: TActionOutcome;
  try {
    outcome = await runAction({ db: deps.db, proposal, workspaceDir: deps.workspaceDir, apiCall: deps.apiCall, signal, log });
  } catch (err) {
    outcome = { ok: false, error: `The action failed unexpectedly: ${coerceError(err).message}` };
  }
  if (!outcome.ok) {
    // The first attempt may have landed after the check (an executor taken for dead while it
    // was only slow): then the retry is refused by the derived id, and the effect is there.
    const again = await checkProposalEffect(deps.db, { proposal, intent, workspaceDir: deps.workspaceDir });
    if (again.state === "happened") {
      const late = `It happened after all (${again.sentence}): the first attempt landed late, so the retry changed nothing. Recorded as executed.`;
      return finish(deps, proposal, { ok: true, decision: late, result: withDecision(again.result, late) });
    }
  }
  const decision = `It did not happen before ${died} (${effect.sentence}), so it ran again once: ${outcome.ok ? "executed" : `failed (${outcome.error})`}.`;
  const recorded = await finish(
    deps,
    proposal,
    outcome.ok
      ? { ok: true, decision, result: withDecision(outcome.result, decision) }
      : { ok: false, decision, error: outcome.error, ...(outcome.result !== undefined ? { result: outcome.result } : {}) },
  );
  if (outcome.ok && outcome.afterRecorded) {
    await outcome
      .afterRecorded(recorded === "executed" ? "recorded" : recorded === "claim_lost" ? "claim_lost" : "unknown")
      .catch((err: unknown) => log.error({ err }, "finishing the action after recording failed"));
  }
  return recorded;
}

/** The result with the reconciliation's sentence added (objects only; other results are wrapped). */
function withDecision(result: Json, decision: string): Json {
  return result && typeof result === "object" && !Array.isArray(result)
    ? { ...result, reconciled: decision }
    : { value: result, reconciled: decision };
}

async function readCheckpoint(db: TDb, proposalId: string) {
  const { data, error } = await db
    .from("action_proposal_checkpoints")
    .select("intent, retried_at, reconcile_reason, reconcile_count")
    .eq("proposal_id", proposalId)
    .single();
  if (error) throw readDbError(error, `Could not read the checkpoint of proposal ${proposalId}`, "database_unreachable");
  return data as {
    intent: Record<string, Json> | null;
    retried_at: string | null;
    reconcile_reason: string | null;
    reconcile_count: number;
  };
}

/** Records the decision with finish_reconciled_proposal, retrying while the database does not answer. */
async function finish(
  deps: TApprovalDeps,
  proposal: TProposalRow,
  decision: { ok: boolean; decision: string; result?: Json; error?: string },
): Promise<TApprovalOutcome> {
  const log = deps.log.child({ proposalId: proposal.id, reconcile: true });
  for (let attempt = 0; ; attempt++) {
    const { error } = await deps.db.rpc("finish_reconciled_proposal", {
      p_proposal_id: proposal.id,
      p_executor_id: deps.executorId,
      p_ok: decision.ok,
      p_decision: decision.decision,
      ...(decision.result !== undefined ? { p_result: decision.result } : {}),
      ...(decision.error !== undefined ? { p_error: decision.error } : {}),
    });
    if (!error) {
      log.info({ ok: decision.ok, decision: decision.decision }, "proposal reconciled");
      return decision.ok ? "executed" : "failed";
    }
    if (error.code === STATE_CONFLICT_SQLSTATE) {
      log.warn({ reason: error.message }, "reconciliation claim lost before the decision was recorded; recording nothing");
      return "claim_lost";
    }
    const delay = FINISH_RETRY_DELAYS_MS[attempt];
    if (delay === undefined) {
      log.error(
        { err: readDbError(error, "Could not record the reconciliation", "database_unreachable") },
        "could not record the reconciliation",
      );
      return "unrecorded";
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
