"use client";

import { AGENT_VERBOSITIES, BUILT_IN_SETTINGS, resolveAgentSettings, ZAgentDefaults } from "@mission-control/shared/schemas";
import Link from "next/link";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { describeEffectiveSetting, PROVIDER_LABELS, type TShownSetting } from "../agents/describe-effective-setting.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { FormField as Field } from "../providers/form-field.tsx";
import { KIND_LABELS } from "../providers/provider-connection-form.tsx";
import providerStyles from "../providers/providers.module.css";
import type { TFieldIssues } from "../providers/read-field-issues.ts";
import { runWrite } from "../providers/run-write.ts";
import { draftFromDefaults, parseAgentDefaultsDraft, providerChoiceOf, type TAgentDefaultsDraft } from "./agent-defaults-draft.ts";
import styles from "./settings-view.module.css";
import { updateProjectSetting } from "./update-project-setting.ts";

const SHOWN: { field: TShownSetting; label: string }[] = [
  { field: "provider", label: "Provider" },
  { field: "model", label: "Model" },
  { field: "temperature", label: "Temperature" },
  { field: "max_context_tokens", label: "Max context tokens" },
  { field: "max_output_tokens", label: "Max output tokens" },
  { field: "verbosity", label: "Verbosity" },
];

/**
 * Settings → Agent defaults: the model settings every agent of the project runs with unless its
 * profile sets its own (project_settings `agent_defaults`, validated with the shared
 * `ZAgentDefaults`). Shows what an agent that sets nothing runs with now, resolved by the same
 * `resolveAgentSettings` the executor uses.
 */
export function AgentDefaultsForm() {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const setting = useLiveStore((s) => s.rows.project_settings[`${project.id}:agent_defaults`]);
  const rows = useLiveStore((s) => s.rows.provider_connections);
  const connections = useMemo(
    () =>
      Object.values(rows)
        .filter((row) => row.project_id === project.id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [rows, project.id],
  );
  const stored = useMemo(() => (setting ? ZAgentDefaults.safeParse(setting.value) : null), [setting]);
  const defaults = stored?.success ? stored.data : {};
  const [draft, setDraft] = useState<TAgentDefaultsDraft>(() => draftFromDefaults(defaults));
  const [issues, setIssues] = useState<TFieldIssues>({});
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const storedKey = setting ? `${setting.seq}` : "none";

  // Follow changes made elsewhere (another tab, another operator) unless the form holds unsaved edits.
  useEffect(() => {
    if (!dirty) setDraft(draftFromDefaults(defaults));
  }, [storedKey]);

  const set = (field: keyof TAgentDefaultsDraft, value: string) => {
    setDirty(true);
    setDraft((prev) => ({ ...prev, [field]: value }));
  };
  const resolved = resolveAgentSettings({ project: defaults });
  const connectionGone =
    defaults.provider === "connection" && !connections.some((connection) => connection.id === defaults.provider_connection_id);
  const chosenConnection = draft.provider.startsWith("connection:")
    ? connections.find((connection) => providerChoiceOf("connection", connection.id) === draft.provider)
    : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const parsed = parseAgentDefaultsDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      const row = await runWrite(() => updateProjectSetting(client, project.id, "agent_defaults", parsed.value), createFallbackDeps(store));
      store.getState().applyRows("project_settings", [row]);
      setDirty(false);
      setStatus({ tone: "ok", text: "Agent defaults saved: agents use them from their next reply." });
    } catch (err) {
      setStatus({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const numberField = (field: "temperature" | "max_context_tokens" | "max_output_tokens", label: string, step: string) => (
    <Field label={label} issue={issues[field]} hint={`Empty: built-in ${BUILT_IN_SETTINGS[field].toLocaleString("en-US")}`}>
      {(control) => (
        <input
          type="number"
          step={step}
          inputMode="decimal"
          value={draft[field]}
          disabled={!canWrite}
          {...control}
          placeholder={BUILT_IN_SETTINGS[field].toLocaleString("en-US")}
          onChange={(e) => set(field, e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <div className={styles.group}>
      <h2 className={styles.groupTitle}>Agent defaults</h2>
      <p className="muted">
        The model settings every agent runs with unless it sets its own. Each value is resolved in one order:{" "}
        <strong>project defaults</strong> (here) → <strong>agent profile</strong> (on the agent's page) →{" "}
        <strong>a per-run override</strong>; the later one wins, and an empty field passes to the built-in value.
      </p>
      {stored && !stored.success ? (
        <p className={providerStyles.error} role="alert">
          The stored agent defaults are not valid and are ignored (the built-in values apply): save this form to replace them.
        </p>
      ) : null}
      {connectionGone ? (
        <p className={providerStyles.error} role="alert">
          The default provider connection no longer exists: agents that inherit it fall back to the built-in model. Pick another provider.
        </p>
      ) : null}
      <form className={providerStyles.form} onSubmit={submit} aria-label="Agent defaults" noValidate>
        <Field
          label="Provider"
          issue={issues.provider}
          wide
          hint={
            connections.length === 0 ? (
              <>
                Add connections in <Link href={`/p/${project.slug}/settings/providers`}>Settings → Providers</Link>.
              </>
            ) : undefined
          }
        >
          {(control) => (
            <select value={draft.provider} disabled={!canWrite} {...control} onChange={(e) => set("provider", e.target.value)}>
              <option value="">Not set (built-in offline model)</option>
              <option value="builtin">{PROVIDER_LABELS.builtin}</option>
              <option value="openai_compatible">{PROVIDER_LABELS.openai_compatible}</option>
              <option value="anthropic">{PROVIDER_LABELS.anthropic}</option>
              {connections.map((connection) => (
                <option key={connection.id} value={providerChoiceOf("connection", connection.id)}>
                  {connection.name} ({KIND_LABELS[connection.kind]})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Model"
          issue={issues.model}
          wide
          hint={
            chosenConnection?.default_model
              ? `Empty: the connection's default model (${chosenConnection.default_model}).`
              : "Empty: the provider's default model."
          }
        >
          {(control) => (
            <input
              value={draft.model}
              disabled={!canWrite}
              spellCheck={false}
              {...control}
              placeholder={chosenConnection?.default_model ?? "gpt-4o-mini, claude-sonnet-4-5, …"}
              onChange={(e) => set("model", e.target.value)}
            />
          )}
        </Field>
        {numberField("temperature", "Temperature", "0.1")}
        <Field label="Verbosity" issue={issues.verbosity} hint={`Empty: built-in ${BUILT_IN_SETTINGS.verbosity}`}>
          {(control) => (
            <select value={draft.verbosity} disabled={!canWrite} {...control} onChange={(e) => set("verbosity", e.target.value)}>
              <option value="">Not set</option>
              {AGENT_VERBOSITIES.map((verbosity) => (
                <option key={verbosity} value={verbosity}>
                  {verbosity}
                </option>
              ))}
            </select>
          )}
        </Field>
        {numberField("max_context_tokens", "Max context tokens", "1")}
        {numberField("max_output_tokens", "Max output tokens", "1")}
        {canWrite ? (
          <div className={providerStyles.formActions}>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Saving…" : "Save defaults"}
            </button>
            {dirty ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setDirty(false);
                  setIssues({});
                  setDraft(draftFromDefaults(defaults));
                }}
              >
                Discard changes
              </button>
            ) : null}
          </div>
        ) : null}
        <div aria-live="polite" className={providerStyles.formActions}>
          {status ? (
            <p className={status.tone === "ok" ? providerStyles.ok : providerStyles.error} style={{ margin: 0 }}>
              {status.text}
            </p>
          ) : null}
        </div>
      </form>
      <h3 className={styles.subTitle}>An agent that sets nothing runs with</h3>
      <dl className={styles.effective}>
        {SHOWN.map(({ field, label }) => {
          const text = describeEffectiveSetting(resolved, field, connections);
          return (
            <div key={field}>
              <dt>{label}</dt>
              <dd>
                {text.value} <span className="muted">· {text.source}</span>
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
