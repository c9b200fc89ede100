import type { TConnectionMode } from "../live/live-store.ts";

/**
 * Why a button that needs the executor (Set key, Test connection) is disabled in this connection
 * mode, or null in Live mode. Keys are encrypted with a key only the executor holds, so there is
 * no Backup path for them.
 */
export function executorRequiredReason(mode: TConnectionMode): string | null {
  switch (mode) {
    case "live":
      return null;
    case "backup":
      return "The executor is not reachable (Backup): keys are encrypted by the executor; try again when the badge says Live";
    case "offline":
      return "The executor is not reachable (Offline): keys are encrypted by the executor; try again when the badge says Live";
    case "checking":
      return "Checking whether the executor is reachable: keys are encrypted by the executor; try again when the badge says Live";
  }
}
