import type { TProviderRetry } from "./provider-types.ts";

/**
 * Reads a `Retry-After` value (delay in seconds, or an HTTP date) as milliseconds from `nowMs`.
 * Also accepts OpenAI's `retry-after-ms`. Returns null when absent or unreadable.
 */
export function parseRetryAfter(
  headers: { retryAfter?: string | undefined; retryAfterMs?: string | undefined },
  nowMs: number,
): number | null {
  const ms = headers.retryAfterMs?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.retryAfter?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1).
 * A server's `Retry-After` wins, capped at `maxRetryAfterMs`; otherwise capped exponential back-off
 * with "equal jitter" (half fixed, half random) so that many executors do not retry in lockstep.
 */
export function computeRetryDelay(options: {
  attempt: number;
  retry: TProviderRetry;
  retryAfterMs: number | null;
  random: () => number;
}): number {
  const { attempt, retry, retryAfterMs, random } = options;
  if (retryAfterMs !== null) return Math.min(retryAfterMs, retry.maxRetryAfterMs);
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
