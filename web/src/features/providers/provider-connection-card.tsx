"use client";

import type { TTestProviderAnswer } from "@mission-control/shared/control-api";
import type { TProviderConnection } from "@mission-control/shared/rows";
import { type FormEvent, useId, useState } from "react";
import { ExecutorButton } from "./executor-button.tsx";
import { KIND_LABELS } from "./provider-connection-form.tsx";
import styles from "./providers.module.css";
import { describeTestAnswer } from "./test-provider-connection.ts";
import type { TProviderActions } from "./use-provider-actions.ts";

/** Whether a connection takes an API key: CLI agents and keyless servers do not. */
export function takesKey(connection: Pick<TProviderConnection, "kind" | "keyless">): boolean {
  return connection.kind === "anthropic" || (connection.kind === "openai_compatible" && !connection.keyless);
}

function KeyState({ connection }: { connection: TProviderConnection }) {
  if (connection.kind === "cli") return <span className={styles.muted}>no key (runs a program)</span>;
  if (connection.kind === "openai_compatible" && connection.keyless) return <span className={styles.muted}>keyless</span>;
  if (connection.key_last4 === null) return <span className={styles.warn}>no key</span>;
  return (
    <span
      className={styles.mono}
      title={connection.key_updated_at ? `Set ${new Date(connection.key_updated_at).toLocaleString()}` : undefined}
    >
      ••••{connection.key_last4}
    </span>
  );
}

/**
 * One provider connection: what it points at, which agents use it, its key (only ••••last4 ever
 * comes back), and Set key / Remove key / Test connection, which need the executor (Live).
 * Operators edit; owners delete.
 */
export function ProviderConnectionCard(props: {
  connection: TProviderConnection;
  usedBy: readonly string[];
  /** The project's agent defaults name this connection (no foreign key guards that: the dashboard does). */
  defaultsUseIt: boolean;
  canWrite: boolean;
  canDelete: boolean;
  actions: TProviderActions;
  onEdit: () => void;
}) {
  const { connection, actions } = props;
  const headingId = useId();
  const [apiKey, setApiKey] = useState("");
  const [busy, setBusy] = useState<"key" | "remove" | "test" | "delete" | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [test, setTest] = useState<TTestProviderAnswer | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const run = async (what: NonNullable<typeof busy>, action: () => Promise<string | null>) => {
    setBusy(what);
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage({ tone: "ok", text });
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(null);
    }
  };

  const submitKey = (event: FormEvent) => {
    event.preventDefault();
    void run("key", async () => {
      const last4 = await actions.setKey({ id: connection.id, apiKey });
      setApiKey("");
      return `Key stored, encrypted by the executor (••••${last4 ?? "????"}).`;
    });
  };

  const target =
    connection.kind === "cli"
      ? { label: "Command", value: connection.cli_command ?? "" }
      : { label: "Base URL", value: connection.base_url ?? (connection.kind === "anthropic" ? "https://api.anthropic.com (default)" : "") };

  return (
    <article className={styles.card} aria-labelledby={headingId}>
      <header className={styles.cardHead}>
        <h3 className={styles.cardTitle} id={headingId}>
          {connection.name}
        </h3>
        <span className={styles.kind}>{KIND_LABELS[connection.kind]}</span>
        <span className={styles.spacer} />
        {props.canWrite ? (
          <button type="button" className="button small" onClick={props.onEdit} aria-label={`Edit ${connection.name}`}>
            Edit
          </button>
        ) : null}
        {props.canDelete ? (
          confirmDelete ? (
            <span className={styles.confirm}>
              Delete {connection.name}?
              <button
                type="button"
                className={`button small ${styles.danger}`}
                disabled={busy !== null}
                onClick={() =>
                  void run("delete", async () => {
                    try {
                      if (props.defaultsUseIt) {
                        throw new Error(
                          "The project's agent defaults use this connection: pick another provider in Settings → Agent defaults first.",
                        );
                      }
                      await actions.remove({ id: connection.id, usedBy: props.usedBy });
                      return null;
                    } finally {
                      setConfirmDelete(false);
                    }
                  })
                }
              >
                Delete
              </button>
              <button type="button" className="button small" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="button small" onClick={() => setConfirmDelete(true)} aria-label={`Delete ${connection.name}`}>
              Delete
            </button>
          )
        ) : null}
      </header>
      <dl className={styles.facts}>
        <div className={styles.factWide}>
          <dt>{target.label}</dt>
          <dd className={styles.mono}>{target.value}</dd>
        </div>
        {connection.kind === "cli" ? (
          <div>
            <dt>Timeout</dt>
            <dd>{connection.cli_timeout_seconds} s</dd>
          </div>
        ) : null}
        <div>
          <dt>Default model</dt>
          <dd className={styles.mono}>{connection.default_model ?? <span className={styles.muted}>none</span>}</dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            <KeyState connection={connection} />
          </dd>
        </div>
        <div>
          <dt>Used by</dt>
          <dd>
            {[...props.usedBy.map((key) => `@${key}`), ...(props.defaultsUseIt ? ["project defaults"] : [])].join(", ") || (
              <span className={styles.muted}>no agent yet</span>
            )}
          </dd>
        </div>
      </dl>

      {props.canWrite ? (
        <div className={styles.cardActions}>
          {takesKey(connection) ? (
            <form className={styles.keyForm} onSubmit={submitKey}>
              <label className={styles.keyLabel}>
                <span>API key</span>
                <input
                  type="password"
                  value={apiKey}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={connection.key_last4 ? "Paste a new key to replace it" : "Paste the key"}
                  onChange={(e) => setApiKey(e.target.value)}
                />
              </label>
              <ExecutorButton type="submit" className="button small primary" disabled={busy !== null || apiKey.trim() === ""}>
                {busy === "key" ? "Storing…" : "Set key"}
              </ExecutorButton>
              {connection.key_last4 !== null ? (
                <ExecutorButton
                  type="button"
                  className="button small"
                  disabled={busy !== null}
                  onClick={() =>
                    void run("remove", async () => {
                      await actions.setKey({ id: connection.id, apiKey: null });
                      return "Key removed.";
                    })
                  }
                >
                  {busy === "remove" ? "Removing…" : "Remove key"}
                </ExecutorButton>
              ) : null}
            </form>
          ) : null}
          <ExecutorButton
            type="button"
            className="button small"
            disabled={busy !== null}
            onClick={() =>
              void run("test", async () => {
                setTest(null);
                setTest(await actions.test(connection.id));
                return null;
              })
            }
          >
            {busy === "test" ? "Testing…" : "Test connection"}
          </ExecutorButton>
        </div>
      ) : null}
      <div aria-live="polite" className={styles.results}>
        {test ? (
          <p className={test.ok ? styles.ok : styles.error} data-testid="provider-test-result">
            {describeTestAnswer(test)}
          </p>
        ) : null}
        {message ? (
          <p className={message.tone === "ok" ? styles.ok : styles.error} role={message.tone === "error" ? "alert" : undefined}>
            {message.text}
          </p>
        ) : null}
      </div>
    </article>
  );
}
