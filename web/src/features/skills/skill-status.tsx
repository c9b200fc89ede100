import type { TSkillGroupStatus } from "./group-skills.ts";
import styles from "./skills.module.css";

const LABELS: Record<TSkillGroupStatus, string> = {
  ready: "Ready",
  needs_setup: "Needs setup",
  blocked: "Blocked",
  unchecked: "Not checked yet",
};

/** A skill's status: a coloured dot and its label. */
export function SkillStatus({ status }: { status: TSkillGroupStatus }) {
  return (
    <span className={styles.status} data-status={status} data-testid="skill-status">
      <span className={styles.dot} aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
