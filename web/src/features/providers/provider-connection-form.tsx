"use client";

import type { TProviderConnection as TProviderConnectionRow } from "@mission-control/shared/rows";
import { PROVIDER_CONNECTION_KINDS, type TProviderConnectionKind } from "@mission-control/shared/schemas";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { BASE_URL_PRESETS } from "./base-url-presets.ts";
import { draftFromConnection, emptyConnectionDraft, parseConnectionDraft, type TConnectionDraft } from "./connection-draft.ts";
import { FormField as Field } from "./form-field.tsx";
import styles from "./providers.module.css";
import type { TFieldIssues } from "./read-field-issues.ts";
import type { TProviderActions } from "./use-provider-actions.ts";

/** How each kind is named on screen. */
export const KIND_LABELS: Record<TProviderConnectionKind, string> = {
  openai_compatible: "OpenAI-compatible",
  anthropic: "Anthropic",
  cli: "CLI agent",
};

/**
 * Adds or edits a provider connection. The fields follow the kind: an OpenAI-compatible server
 * (base URL with presets, keyless), Anthropic (base URL optional) or a CLI agent (command line and
 * timeout). Validated with the shared `ZProviderConnectionInput`; each problem shows beside its field.
 */
export function ProviderConnectionForm(props: {
  connection?: TProviderConnectionRow;
  actions: TProviderActions;
  onDone: (saved: TProviderConnectionRow | null) => void;
}) {
  const [draft, setDraft] = useState<TConnectionDraft>(() =>
    props.connection ? draftFromConnection(props.connection) : emptyConnectionDraft(),
  );
  const [issues, setIssues] = useState<TFieldIssues>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  // The form opens on request: naming the connection is the next step.
  useEffect(() => nameRef.current?.focus(), []);
  const set = <K extends keyof TConnectionDraft>(key: K, value: TConnectionDraft[K]) => setDraft((prev) => ({ ...prev, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseConnectionDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      props.onDone(await props.actions.save({ id: props.connection?.id, connection: parsed.input }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const title = props.connection ? `Edit ${props.connection.name}` : "New provider connection";
  return (
    <form className={styles.form} onSubmit={submit} aria-label={title} noValidate>
      <h3 className={styles.formTitle}>{title}</h3>
      <Field label="Name" issue={issues.name}>
        {(control) => (
          <input
            value={draft.name}
            maxLength={80}
            ref={nameRef}
            {...control}
            placeholder="OpenAI, Local Ollama, Claude Code…"
            onChange={(e) => set("name", e.target.value)}
          />
        )}
      </Field>
      <Field label="Kind" issue={issues.kind}>
        {(control) => (
          <select value={draft.kind} {...control} onChange={(e) => set("kind", e.target.value as TProviderConnectionKind)}>
            {PROVIDER_CONNECTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        )}
      </Field>

      {draft.kind === "cli" ? (
        <>
          <Field
            label="Command line"
            issue={issues.cli_command}
            wide
            hint={
              <>
                Runs inside the workspace without a shell: it reads the prompt on stdin and writes its answer to stdout, e.g.{" "}
                <code>claude -p</code> or <code>codex exec</code>.
              </>
            }
          >
            {(control) => (
              <input
                value={draft.cli_command}
                className={styles.mono}
                spellCheck={false}
                {...control}
                placeholder="claude -p"
                onChange={(e) => set("cli_command", e.target.value)}
              />
            )}
          </Field>
          <Field label="Timeout (seconds)" issue={issues.cli_timeout_seconds} hint="The program is stopped after this long (1 to 3600).">
            {(control) => (
              <input
                type="number"
                min={1}
                max={3600}
                inputMode="numeric"
                value={draft.cli_timeout_seconds}
                {...control}
                onChange={(e) => set("cli_timeout_seconds", e.target.value)}
              />
            )}
          </Field>
        </>
      ) : (
        <Field
          label="Base URL"
          issue={issues.base_url}
          wide
          hint={
            draft.kind === "anthropic" ? (
              "Optional: leave empty for https://api.anthropic.com."
            ) : (
              <span className={styles.presets}>
                Presets:
                {BASE_URL_PRESETS.map((preset) => (
                  <button
                    key={preset.label}
                    type="button"
                    className="button small"
                    onClick={() => {
                      setDraft((prev) => ({ ...prev, base_url: preset.baseUrl, keyless: preset.keyless, name: prev.name || preset.label }));
                    }}
                  >
                    {preset.label}
                  </button>
                ))}
              </span>
            )
          }
        >
          {(control) => (
            <input
              type="url"
              value={draft.base_url}
              className={styles.mono}
              spellCheck={false}
              {...control}
              placeholder={draft.kind === "anthropic" ? "https://api.anthropic.com" : "https://api.openai.com/v1"}
              onChange={(e) => set("base_url", e.target.value)}
            />
          )}
        </Field>
      )}

      <Field
        label="Default model"
        issue={issues.default_model}
        hint={
          draft.kind === "cli"
            ? "Optional: passed to the program as the model to use."
            : "Used by agents on this connection unless their profile names another model."
        }
      >
        {(control) => (
          <input
            value={draft.default_model}
            spellCheck={false}
            {...control}
            placeholder={
              draft.kind === "anthropic" ? "claude-sonnet-4-5" : draft.kind === "cli" ? "(the program's default)" : "gpt-4o-mini"
            }
            onChange={(e) => set("default_model", e.target.value)}
          />
        )}
      </Field>
      {draft.kind === "openai_compatible" ? (
        <label className={styles.check}>
          <input type="checkbox" checked={draft.keyless} onChange={(e) => set("keyless", e.target.checked)} />
          Keyless: the server needs no API key (Ollama, LM Studio, a local vLLM)
        </label>
      ) : null}

      {issues[""] ? <p className={styles.issue}>{issues[""]}</p> : null}
      <div className={styles.formActions}>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save connection"}
        </button>
        <button type="button" className="button" onClick={() => props.onDone(null)}>
          Cancel
        </button>
        {draft.kind !== "cli" && !(draft.kind === "openai_compatible" && draft.keyless) ? (
          <span className={styles.hint}>The API key is set after saving: it goes to the executor, encrypted.</span>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
