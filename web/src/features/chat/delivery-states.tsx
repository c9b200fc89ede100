"use client";

import { assertNever } from "@mission-control/shared/errors";
import type { TAgent, TChatDelivery, TChatMessage } from "@mission-control/shared/rows";
import { useState } from "react";
import { QUEUED_NOTICE } from "../actions/execute-with-fallback.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import styles from "./chat.module.css";
import { isReroutedDelivery } from "./describe-routing.ts";
import { useChatActions } from "./use-chat-actions.ts";

function stateLabel(status: TChatDelivery["status"]): { label: string; tone: "ok" | "wait" | "bad" } {
  switch (status) {
    case "queued":
      return { label: "Queued", tone: "wait" };
    // Claimed by the executor: the agent is on it (the thread also says "… is working").
    case "delivered":
      return { label: "Picked up", tone: "wait" };
    case "processed":
      return { label: "Delivered", tone: "ok" };
    case "failed":
      return { label: "Failed", tone: "bad" };
    default:
      return assertNever(status);
  }
}

/** One delivery of an operator message: Delivered / Queued / Failed with Retry / Re-routed. */
function DeliveryState({ delivery, agentName, canWrite }: { delivery: TChatDelivery; agentName: string; canWrite: boolean }) {
  const mode = useLiveStore((s) => s.connection.mode);
  const actions = useChatActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A delivery the operator's re-route cancelled is not a failure: nothing to retry.
  const rerouted = isReroutedDelivery(delivery);
  const { label, tone } = rerouted ? { label: "Re-routed", tone: "muted" as const } : stateLabel(delivery.status);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await actions.retry(delivery);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span
      className={styles.delivery}
      data-testid="delivery-state"
      data-status={rerouted ? "rerouted" : delivery.status}
      data-agent={delivery.agent_key}
    >
      <span className={styles.deliveryAgent}>{agentName}</span>
      <span className={styles.deliveryLabel} data-tone={tone} title={delivery.error ?? undefined}>
        {label}
      </span>
      {delivery.status === "queued" && mode !== "live" && mode !== "checking" ? (
        <span className={styles.deliveryNote}>{QUEUED_NOTICE.replace(/^Queued — /, "— ")}</span>
      ) : null}
      {delivery.status === "failed" && !rerouted ? (
        <>
          {delivery.error ? <span className={styles.deliveryError}>{delivery.error}</span> : null}
          {canWrite ? (
            <button type="button" className="button small" onClick={retry} disabled={busy}>
              {busy ? "Retrying…" : "Retry"}
            </button>
          ) : null}
        </>
      ) : null}
      {error ? (
        <span role="alert" className={styles.deliveryError}>
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** The delivery state of an operator message, one entry per target agent. */
export function DeliveryStates({
  message,
  deliveries,
  agentsByKey,
  canWrite,
}: {
  message: TChatMessage;
  deliveries: TChatDelivery[];
  agentsByKey: Map<string, TAgent>;
  canWrite: boolean;
}) {
  if (deliveries.length === 0) {
    return <span className={styles.deliveries}>{message.status === "failed" ? "Failed" : "Sending…"}</span>;
  }
  return (
    <span className={styles.deliveries}>
      {deliveries.map((d) => (
        <DeliveryState key={d.id} delivery={d} agentName={agentsByKey.get(d.agent_key)?.display_name ?? d.agent_key} canWrite={canWrite} />
      ))}
    </span>
  );
}
