"use client";

import type { TRun } from "@mission-control/shared/rows";
import { useState } from "react";
import styles from "./runs.module.css";
import { useRunActions } from "./use-run-actions.ts";

/**
 * Cancel for a queued, running or waiting run: cancelled in the database at once (what it still
 * had waiting for approval expires), then the executor is woken so it aborts the agent's work now.
 */
export function CancelRunButton({ run, compact = false }: { run: TRun; compact?: boolean }) {
  const actions = useRunActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await actions.cancel(run.id);
      setNotice(outcome.notice);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className={compact ? styles.cancelCompact : styles.cancel}>
      <button
        type="button"
        className={`button small ${styles.cancelButton}`}
        disabled={busy}
        onClick={() => void cancel()}
        aria-label={`Cancel the ${run.mode} run of @${run.agent_key}`}
        data-testid="cancel-run"
      >
        {busy ? "Cancelling…" : "Cancel"}
      </button>
      {error ? (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      ) : notice ? (
        <span className={styles.notice}>{notice}</span>
      ) : null}
    </span>
  );
}
