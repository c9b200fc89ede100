"use client";

import { type ButtonHTMLAttributes, useId } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { executorRequiredReason } from "./executor-required.ts";

/**
 * A button for an action only the executor can do (Set key, Test connection, Check again):
 * disabled unless the badge says Live, with the reason as its tooltip and, for screen readers, its
 * description. `offlineReason` replaces the keys' wording for other actions.
 */
export function ExecutorButton({
  disabled,
  children,
  offlineReason,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { offlineReason?: string }) {
  const mode = useLiveStore((s) => s.connection.mode);
  const keysReason = executorRequiredReason(mode);
  const reason = keysReason === null ? null : (offlineReason ?? keysReason);
  const reasonId = useId();
  // The wrapper carries the tooltip too: some browsers show none over a disabled button.
  return (
    <span title={reason ?? undefined} style={{ display: "inline-flex" }}>
      <button
        {...rest}
        disabled={disabled || reason !== null}
        title={reason ?? rest.title}
        aria-describedby={reason ? reasonId : rest["aria-describedby"]}
      >
        {children}
      </button>
      {reason ? (
        <span id={reasonId} className="visually-hidden">
          {reason}
        </span>
      ) : null}
    </span>
  );
}
