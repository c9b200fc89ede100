import type { TRunStatus } from "@mission-control/shared/schemas";
import { RUN_STATUS_LABELS } from "./format-run.ts";
import styles from "./runs.module.css";

/** A run's status: a coloured dot (pulsing while it runs) and its label. */
export function RunStatusBadge({ status }: { status: TRunStatus }) {
  return (
    <span className={styles.statusBadge} data-status={status} data-testid="run-status">
      <span className={styles.statusDot} aria-hidden="true" />
      {RUN_STATUS_LABELS[status]}
    </span>
  );
}
