/**
 * Capped exponential back-off with "equal jitter": attempt 1 waits about `baseMs`, then 2×, 4×…
 * up to `maxMs`; half of each delay is fixed and half random, so executors do not retry in lockstep.
 */
export function computeBackoff(options: { attempt: number; baseMs: number; maxMs: number; random?: () => number }): number {
  const random = options.random ?? Math.random;
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, options.attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
