"use client";

import { useState } from "react";
import { ExecutorButton } from "../providers/executor-button.tsx";
import { CHECK_REQUIRES_EXECUTOR } from "./check-skill.ts";

/**
 * "Check again": asks the executor to check the skill now. Only the executor can look at its own
 * machine, so outside Live mode (Backup, Offline, still checking) the button is disabled with the
 * tooltip "Requires executor connection". Errors are reported through `onError`.
 */
export function CheckAgainButton({
  onCheck,
  onError,
  className = "button small",
}: {
  onCheck: () => Promise<void>;
  onError: (message: string | null) => void;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    onError(null);
    try {
      await onCheck();
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ExecutorButton type="button" className={className} disabled={busy} offlineReason={CHECK_REQUIRES_EXECUTOR} onClick={click}>
      {busy ? "Checking…" : "Check again"}
    </ExecutorButton>
  );
}
