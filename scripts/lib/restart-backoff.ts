/** Back-off of a process that is restarted when it exits: 1 s, 2 s, 4 s … up to a cap. */
export interface TRestartBackoff {
  /** Call when the process has been started. */
  started(): void;
  /** Call when it exited: how long to wait before starting it again, and how long it was up. */
  exited(): { delayMs: number; upMs: number };
}

/** Options: the first delay, the cap, and how long a run must last to count as healthy again. */
export interface TRestartBackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** A process that stayed up this long starts the back-off from `baseMs` again. */
  resetAfterMs?: number;
  now?: () => number;
}

/**
 * Doubles the wait after each exit, so a process that fails at once (a bad setting, the database
 * gone) is not restarted in a tight loop, while one that crashes after running a good while is
 * back within a second.
 */
export function createRestartBackoff(options: TRestartBackoffOptions = {}): TRestartBackoff {
  const baseMs = options.baseMs ?? 1_000;
  const maxMs = options.maxMs ?? 30_000;
  const resetAfterMs = options.resetAfterMs ?? 60_000;
  const now = options.now ?? Date.now;
  let nextDelayMs = baseMs;
  let startedAt = now();
  return {
    started() {
      startedAt = now();
    },
    exited() {
      const upMs = now() - startedAt;
      if (upMs >= resetAfterMs) nextDelayMs = baseMs;
      const delayMs = nextDelayMs;
      nextDelayMs = Math.min(nextDelayMs * 2, maxMs);
      return { delayMs, upMs };
    },
  };
}
