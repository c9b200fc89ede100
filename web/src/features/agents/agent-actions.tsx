"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { useEffect, useRef, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import styles from "./agents.module.css";
import { type TProvisionOutcome, useAgentProvisioning } from "./use-agent-provisioning.ts";

/**
 * Enable / Disable (operators) and Delete agent with a confirmation (owners) for one agent. A
 * change that waits for the executor, or that it refused, is shown in the list of pending agent
 * changes; a failure to save at all is shown here.
 */
export function AgentActions({ agent, onDeleted }: { agent: TAgent; onDeleted?: () => void }) {
  const { canWrite, role } = useProject();
  const provisioning = useAgentProvisioning();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) deleteRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (!canWrite) return null;

  const run = async (action: () => Promise<TProvisionOutcome>, after?: (outcome: TProvisionOutcome) => void) => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await action();
      if (outcome.state === "failed") setError(outcome.message);
      else after?.(outcome);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const name = agent.display_name;
  return (
    <div className={styles.actions}>
      <div className={styles.actionsRow}>
        {confirming ? (
          // biome-ignore lint/a11y/useSemanticElements: an inline confirmation, not a form group
          <div className={styles.confirm} role="group" aria-label={`Confirm deleting ${name}`}>
            <span>
              Delete <strong>@{agent.agent_key}</strong>? Its messages and docs stay; its status and budgets go.
            </span>
            <button
              type="button"
              className={`button small ${styles.danger}`}
              disabled={busy}
              onClick={() =>
                run(
                  () => provisioning.remove(agent),
                  (outcome) => {
                    setConfirming(false);
                    if (outcome.state === "applied") onDeleted?.();
                  },
                )
              }
            >
              {busy ? "Deleting…" : "Confirm delete"}
            </button>
            <button ref={cancelRef} type="button" className="button small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <>
            <button
              type="button"
              className="button small"
              disabled={busy}
              onClick={() => run(() => provisioning.update(agent, { enabled: !agent.enabled }))}
            >
              {agent.enabled ? "Disable" : "Enable"}
            </button>
            {role === "owner" ? (
              <button
                ref={deleteRef}
                type="button"
                className={`button small ${styles.danger}`}
                disabled={busy}
                onClick={() => setConfirming(true)}
              >
                Delete agent
              </button>
            ) : null}
          </>
        )}
      </div>
      {error ? (
        <span className={styles.actionError} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
