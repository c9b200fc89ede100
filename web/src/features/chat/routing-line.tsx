"use client";

import type { TAgent, TChatMessage } from "@mission-control/shared/rows";
import { type FormEvent, useRef, useState } from "react";
import styles from "./chat.module.css";
import { describeRouting } from "./describe-routing.ts";
import { useChatActions } from "./use-chat-actions.ts";

/**
 * The one quiet line under an operator's Team Room message that nobody was mentioned in: why the
 * router picked its agent ("Routed to @backend: sql, migrations") or who re-routed it, and, for
 * operators, "Re-route" to send it to another agent instead.
 */
export function RoutingLine({
  message,
  agentsByKey,
  myUserId,
  canReroute,
}: {
  message: TChatMessage;
  agentsByKey: Map<string, TAgent>;
  myUserId: string;
  /** An operator in the Team Room (a DM goes to its agent; viewers only read). */
  canReroute: boolean;
}) {
  const actions = useChatActions();
  const [open, setOpen] = useState(false);
  const [agentKey, setAgentKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const routing = describeRouting(message, myUserId);
  if (!routing) return null;

  const current = routing.agentKey ?? (message.target_agent_keys.length === 1 ? message.target_agent_keys[0] : null);
  const choices = [...agentsByKey.values()]
    .filter((agent) => agent.enabled && agent.agent_key !== current)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));

  const close = () => {
    setOpen(false);
    setError(null);
    requestAnimationFrame(() => opener.current?.focus());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!agentKey) return;
    setBusy(true);
    setError(null);
    try {
      await actions.reroute(message.id, agentKey);
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.routing} data-testid="routing-line">
      <span>
        {routing.text}
        {routing.was ? <span className={styles.routingWas}> · {routing.was}</span> : null}
      </span>
      {canReroute && routing.reroutable && choices.length > 0 ? (
        open ? (
          <form
            className={styles.rerouteForm}
            aria-label="Re-route the message"
            onSubmit={submit}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.stopPropagation();
                close();
              }
            }}
          >
            <select
              aria-label="Re-route to"
              value={agentKey}
              disabled={busy}
              // biome-ignore lint/a11y/noAutofocus: the operator opened this picker to choose an agent now
              autoFocus
              onChange={(e) => setAgentKey(e.target.value)}
            >
              {choices.map((agent) => (
                <option key={agent.id} value={agent.agent_key}>
                  {agent.display_name} (@{agent.agent_key})
                </option>
              ))}
            </select>
            <button type="submit" className="button small primary" disabled={busy}>
              {busy ? "Re-routing…" : "Re-route"}
            </button>
            <button type="button" className="button small" onClick={close} disabled={busy}>
              Cancel
            </button>
          </form>
        ) : (
          <button
            ref={opener}
            type="button"
            className={styles.rerouteButton}
            onClick={() => {
              setAgentKey(choices[0]?.agent_key ?? "");
              setOpen(true);
            }}
          >
            Re-route
          </button>
        )
      ) : null}
      {error ? (
        <span role="alert" className={styles.deliveryError}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
