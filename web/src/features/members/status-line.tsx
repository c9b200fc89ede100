"use client";

import styles from "./members.module.css";

/** The outcome of the last action of a section: a confirmation, or a refusal in the database's words. */
export type TStatus = { tone: "ok" | "error"; text: string } | null;

/** Where a section of the Members page says what its last action did (read out by screen readers). */
export function StatusLine({ status, testId }: { status: TStatus; testId: string }) {
  return (
    <div aria-live="polite">
      {status ? (
        <p
          className={`${styles.message} ${status.tone === "ok" ? styles.ok : styles.error}`}
          role={status.tone === "error" ? "alert" : undefined}
          data-testid={testId}
        >
          {status.text}
        </p>
      ) : null}
    </div>
  );
}
