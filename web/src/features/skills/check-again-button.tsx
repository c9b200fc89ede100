"use client";

import { useId, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
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
  const mode = useLiveStore((s) => s.connection.mode);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const reason = mode === "live" ? null : CHECK_REQUIRES_EXECUTOR;
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
  // The wrapper carries the tooltip too: some browsers show none over a disabled button.
  return (
    <span title={reason ?? undefined} style={{ display: "inline-flex" }}>
      <button
        type="button"
        className={className}
        disabled={busy || reason !== null}
        title={reason ?? undefined}
        aria-describedby={reason ? reasonId : undefined}
        onClick={click}
      >
        {busy ? "Checking…" : "Check again"}
      </button>
      {reason ? (
        <span id={reasonId} className="visually-hidden">
          {reason}
        </span>
      ) : null}
    </span>
  );
}
