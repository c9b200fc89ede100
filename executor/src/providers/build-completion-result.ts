import { AppError } from "@mission-control/shared/errors";
import { countChatTokens, countTokens } from "../context/count-tokens.ts";
import type { TChatMessage, TCompletionResult, TFinishReason, TProviderKind } from "./provider-types.ts";

/** What a provider adapter extracted from a reply, before usage fallback and checks. */
export type TRawCompletion = {
  text: string;
  model: string;
  finishReason: TFinishReason;
  /** The provider's own finish reason, for messages. */
  providerFinishReason: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
};

/**
 * Turns an adapter's extraction into the result every caller sees: rejects an empty reply with
 * `provider_bad_response` (unless `allowEmptyText`) and fills missing usage by counting tokens
 * locally (`usage.estimated`).
 */
export function buildCompletionResult(
  raw: TRawCompletion,
  call: {
    kind: TProviderKind;
    label: string;
    messages: readonly TChatMessage[];
    startedAt: number;
    attempts: number;
    /** A reply that only calls tools has no text, and that is fine. */
    allowEmptyText?: boolean;
  },
): TCompletionResult {
  if (raw.text.length === 0 && !call.allowEmptyText) {
    const why = raw.providerFinishReason ? ` (finish reason "${raw.providerFinishReason}")` : "";
    const advice =
      raw.finishReason === "length"
        ? "raise the agent's max output tokens"
        : raw.finishReason === "content_filter"
          ? "the provider filtered the reply; rephrase the message"
          : "try again or pick another model";
    throw new AppError("provider_bad_response", {
      message: `${call.label} replied with no text${why} from model "${raw.model}": ${advice}`,
      details: { provider: call.kind, finishReason: raw.providerFinishReason },
    });
  }
  const usage = raw.usage
    ? { ...raw.usage, estimated: false }
    : { inputTokens: countChatTokens(call.messages), outputTokens: countTokens(raw.text), estimated: true };
  return {
    text: raw.text,
    model: raw.model,
    provider: call.kind,
    usage,
    finishReason: raw.finishReason,
    offline: false,
    latencyMs: Math.round((performance.now() - call.startedAt) * 100) / 100,
    attempts: call.attempts,
  };
}
