import type { TAgentStatus } from "@mission-control/shared/rows";
import styles from "./agents.module.css";

/** A coloured dot for an agent's status, with the status as its accessible name. */
export function AgentStatusDot({ status }: { status: TAgentStatus["status"] | undefined }) {
  const value = status ?? "offline";
  return <span className={styles.dot} data-status={value} role="img" aria-label={value} title={value} />;
}
