"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { useMemo, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./agents.module.css";
import { selectPendingProvisions } from "./select-pending-provisions.ts";
import { PROVISION_QUEUED_NOTICE } from "./use-agent-provisioning.ts";

/**
 * The project's agent changes that are not done: queued ones ("Saved — applies when the executor
 * is back") and refused ones with the reason (until dismissed or asked again). Applied ones are
 * not listed. With `agent`, only that agent's.
 */
export function ProvisionRequests({ agent }: { agent?: Pick<TAgent, "id" | "agent_key"> }) {
  const { project } = useProject();
  const requests = useLiveStore((s) => s.rows.agent_provision_requests);
  const mode = useLiveStore((s) => s.connection.mode);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const pending = useMemo(
    () => selectPendingProvisions(Object.values(requests), project.id, { agent, dismissed }),
    [requests, project.id, agent, dismissed],
  );
  if (pending.length === 0) return null;
  return (
    <ul className={styles.requests} aria-label="Agent changes not applied yet" data-testid="provision-requests">
      {pending.map(({ request, state, summary }) => (
        <li key={request.id} className={styles.request} data-state={state} data-testid="provision-request">
          <span className={styles.requestSummary}>{summary}</span>
          {state === "queued" ? (
            <span className={styles.requestQueued}>{mode === "live" ? "Saved — applying…" : PROVISION_QUEUED_NOTICE}</span>
          ) : (
            <>
              <span className={styles.requestError} role="alert">
                Not applied: {request.error ?? "the executor refused it"}
              </span>
              <button
                type="button"
                className="button small"
                aria-label={`Dismiss: ${summary}`}
                onClick={() => setDismissed((current) => new Set([...current, request.id]))}
              >
                Dismiss
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
