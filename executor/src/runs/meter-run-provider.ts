import crypto from "node:crypto";
import type { TRun } from "@mission-control/shared/rows";
import type { TResolvedSettings } from "@mission-control/shared/schemas";
import type { TModelRunConfig } from "../config/resolve-model-config.ts";
import type { TCompletionResult, TProvider } from "../providers/provider-types.ts";

/** One model step of a run as provider_calls records it (reserved first when a budget applies). */
export type TRunCallPlan = {
  id: string;
  project_id: string;
  agent_id: string;
  agent_key: string;
  run_id: string;
  provider: string;
  connection_id: string | null;
  model: string;
  reserved_tokens: number;
  settings: TResolvedSettings;
};

/** A model step of a run that ended. */
export type TRunCallRecord = TRunCallPlan & {
  input_tokens: number;
  output_tokens: number;
  estimated: boolean;
  latency_ms: number;
  outcome: "ok" | "error";
  error: string | null;
};

/** Budgets and usage for runs: the same reservation and record as deliveries. */
export interface TRunMeter {
  /** Resolves when the step may be made; throws `budget_exceeded` (with the database's sentence) when it would pass a hard limit. */
  reserve(plan: TRunCallPlan): Promise<void>;
  /** Records the finished step; answers its cost (null when the model has no price). */
  record(call: TRunCallRecord): Promise<{ costUsd: number | null }>;
}

/**
 * Wraps a run's provider so every model step is metered like a delivery's call: reserved against
 * the budgets that apply before it is made (a hard limit reached: the step is not made and the
 * run fails with "Budget exceeded: …"), and recorded in provider_calls after it, ok or failed, with
 * its tokens and cost. The cost is reported to `onCost` so the run's total grows with each step.
 */
export function meterRunProvider(
  meter: TRunMeter,
  provider: TProvider,
  options: { run: TRun; agentId: string; budgetsApply: boolean; modelRun: TModelRunConfig; onCost: (costUsd: number) => void },
): TProvider {
  const { run, modelRun } = options;
  const values = modelRun.effective.values;
  const plan = (): TRunCallPlan => ({
    id: crypto.randomUUID(),
    project_id: run.project_id,
    agent_id: options.agentId,
    agent_key: run.agent_key,
    run_id: run.id,
    provider: modelRun.offline ? "builtin" : values.provider,
    connection_id: modelRun.connectionId,
    model: modelRun.model,
    reserved_tokens: values.max_context_tokens,
    settings: modelRun.effective,
  });
  const metered = async <TResult extends TCompletionResult>(call: () => Promise<TResult>): Promise<TResult> => {
    const step = plan();
    if (options.budgetsApply) await meter.reserve(step);
    const startedAt = performance.now();
    let result: TResult;
    try {
      result = await call();
    } catch (err) {
      await meter
        .record({
          ...step,
          input_tokens: 0,
          output_tokens: 0,
          estimated: true,
          latency_ms: Math.round(performance.now() - startedAt),
          outcome: "error",
          error: (err instanceof Error ? err.message : String(err)).slice(0, 2_000),
        })
        .catch(() => {});
      throw err;
    }
    const recorded = await meter.record({
      ...step,
      model: result.model,
      input_tokens: result.usage.inputTokens,
      output_tokens: result.usage.outputTokens,
      estimated: result.usage.estimated,
      latency_ms: Math.round(result.latencyMs),
      outcome: "ok",
      error: null,
    });
    if (recorded.costUsd) options.onCost(recorded.costUsd);
    return result;
  };
  const { completeWithTools } = provider;
  return {
    kind: provider.kind,
    complete: (request) => metered(() => provider.complete(request)),
    ...(completeWithTools ? { completeWithTools: (request) => metered(() => completeWithTools.call(provider, request)) } : {}),
    close: () => provider.close(),
  };
}
