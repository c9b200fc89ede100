/** Why a wait ended. */
export type TWaitOutcome = "woken" | "timeout" | "aborted";

/** A doorbell for a worker loop: `wake()` ends the current (or the next) `wait()` at once. */
export interface TWakeup {
  /** Waits up to `ms`, or until `wake()` or the signal. A wake that came while nobody waited is kept for the next wait. */
  wait(ms: number, signal: AbortSignal): Promise<TWaitOutcome>;
  /** Ends the current wait; if nobody waits, the next wait returns at once. */
  wake(): void;
}

/** Creates a doorbell; the abortable sleep every worker loop uses. */
export function createWakeup(): TWakeup {
  let pending = false;
  let current: ((outcome: TWaitOutcome) => void) | null = null;
  return {
    wait(ms, signal) {
      if (signal.aborted) return Promise.resolve("aborted");
      if (pending) {
        pending = false;
        return Promise.resolve("woken");
      }
      return new Promise<TWaitOutcome>((resolve) => {
        const finish = (outcome: TWaitOutcome) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          current = null;
          resolve(outcome);
        };
        const onAbort = () => finish("aborted");
        const timer = setTimeout(() => finish("timeout"), ms);
        signal.addEventListener("abort", onAbort, { once: true });
        current = finish;
      });
    },
    wake() {
      if (current) current("woken");
      else pending = true;
    },
  };
}

/** Sleeps `ms`, ending early (without throwing) when the signal aborts. Returns false when aborted. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return (await createWakeup().wait(ms, signal)) !== "aborted";
}
