import type { TAgentStatus } from "@mission-control/shared/rows";
import styles from "./agents.module.css";

/**
 * A coloured dot for an agent's status, with the status as its accessible name. Where the status
 * is written out beside it, pass `decorative` so screen readers do not hear it twice ("idle idle").
 */
export function AgentStatusDot({ status, decorative = false }: { status: TAgentStatus["status"] | undefined; decorative?: boolean }) {
  const value = status ?? "offline";
  if (decorative) return <span className={styles.dot} data-status={value} aria-hidden="true" title={value} />;
  return <span className={styles.dot} data-status={value} role="img" aria-label={value} title={value} />;
}
