import type { Logger } from "pino";
import { computeBackoff } from "./compute-backoff.ts";
import { createWakeup } from "./create-wakeup.ts";

/** After a wake-up whose claim found nothing, look again after these delays (the commit may not be visible yet). */
const HINT_RETRY_DELAYS_MS = [2, 10, 40];

/** Decides when a worker claims; the worker decides how many (its free slots) and runs what was claimed. */
export interface TClaimPoller {
  /** Starts the loop; the first claim goes out at once. */
  start(): void;
  /** A hint that work is waiting (realtime, Control API, a due retry): claim now, and look again shortly if nothing is visible yet. */
  hint(): void;
  /**
   * A slot was freed: claim again at once if the last claim took every slot it asked for (more may
   * be waiting), or if a hint came while no slot was free.
   */
  slotFreed(): void;
  /**
   * A claim made elsewhere (along with saving replies) took `claimed` of the `limit` it asked for.
   * A hint that came while it held every free slot is served now: that claim may have looked before
   * the hinted row was committed.
   */
  claimedElsewhere(claimed: number, limit: number): void;
  /**
   * Resolves once the intake has been quiet for `quietMs` (no claim in flight, no hint waiting for
   * a free slot's claim, and neither for that long), or every slot is taken (nothing more can come
   * in); after `maxWaitMs` at the latest (work never waits longer for a burst to end).
   */
  intakeSettled(options: { quietMs: number; maxWaitMs: number }): Promise<void>;
  /** Stops the loop; resolves once a claim in flight has returned and its rows were handed over. */
  stop(): Promise<void>;
}

/**
 * A claim loop's timing: claims as many rows as there are free slots, waits on an abortable
 * doorbell rung by hints and freed slots, polls every `pollIntervalMs` as the fallback, and backs
 * off exponentially after a failed claim. A hint stays pending until a claim of the loop's own has
 * started after it, so one that comes while no slot is free is not lost.
 */
export function createClaimPoller(options: {
  /** Plural noun for log lines, e.g. "deliveries". */
  what: string;
  pollIntervalMs: number;
  log: Logger;
  /** How many rows a claim may take now (0 or less: none). */
  free: () => number;
  /** Claims up to `limit` rows and starts them; resolves with how many it got. */
  claim: (limit: number) => Promise<number>;
}): TClaimPoller {
  const wakeup = createWakeup();
  const abort = new AbortController();
  let done: Promise<void> = Promise.resolve();
  let moreMayBeWaiting = true;
  let hinted = false;
  let hintRetries = 0;
  let claiming = false;
  /** When a hint came or a claim ended last (performance.now()). */
  let lastIntakeAt = 0;
  const intakeQuiet = () => !claiming && (!hinted || options.free() <= 0);

  const loop = async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      const free = options.free();
      if (free > 0) {
        try {
          const wasHinted = hinted;
          hinted = false;
          claiming = true;
          let claimed: number;
          try {
            claimed = await options.claim(free);
          } finally {
            claiming = false;
            lastIntakeAt = performance.now();
          }
          failures = 0;
          moreMayBeWaiting = claimed === free;
          if (moreMayBeWaiting) continue;
          if (claimed === 0 && (wasHinted || hintRetries > 0) && hintRetries < HINT_RETRY_DELAYS_MS.length) {
            // A wake-up can arrive a moment before its commit is visible to other sessions: look again shortly.
            const delayMs = HINT_RETRY_DELAYS_MS[hintRetries] ?? options.pollIntervalMs;
            hintRetries += 1;
            if ((await wakeup.wait(delayMs, abort.signal)) === "aborted") break;
            continue;
          }
          hintRetries = 0;
        } catch (err) {
          failures += 1;
          const delayMs = computeBackoff({ attempt: failures, baseMs: options.pollIntervalMs, maxMs: 30_000 });
          options.log.error({ err, failures, delayMs }, `claiming ${options.what} failed; backing off`);
          if ((await wakeup.wait(delayMs, abort.signal)) === "aborted") break;
          continue;
        }
      }
      if ((await wakeup.wait(options.pollIntervalMs, abort.signal)) === "aborted") break;
    }
  };

  return {
    start() {
      done = loop();
    },
    hint() {
      hinted = true;
      lastIntakeAt = performance.now();
      hintRetries = 0;
      wakeup.wake();
    },
    slotFreed() {
      if (moreMayBeWaiting || hinted) wakeup.wake();
    },
    claimedElsewhere(claimed, limit) {
      moreMayBeWaiting = claimed === limit;
      if (hinted) wakeup.wake();
    },
    async intakeSettled({ quietMs, maxWaitMs }) {
      const deadline = performance.now() + maxWaitMs;
      for (;;) {
        const now = performance.now();
        const quietFor = now - lastIntakeAt;
        // Every slot taken: nothing more can come in, so nothing is worth waiting for.
        const full = !claiming && options.free() <= 0;
        if (full || (intakeQuiet() && quietFor >= quietMs) || now >= deadline || abort.signal.aborted) return;
        const delayMs = Math.min(deadline - now, intakeQuiet() ? quietMs - quietFor : quietMs);
        if ((await createWakeup().wait(Math.max(1, delayMs), abort.signal)) === "aborted") return;
      }
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}
