"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { AGENT_TOOLS, AGENT_VERBOSITIES, RISK_LEVELS, resolveAgentSettings } from "@mission-control/shared/schemas";
import Link from "next/link";
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { draftFromAgent, FIELD_LABELS, INHERIT, type TAgentDraft, type TDraftField } from "./agent-draft.ts";
import styles from "./agent-editor.module.css";
import { AGENT_TOOL_DESCRIPTIONS, RISK_TOLERANCE_DESCRIPTIONS } from "./agent-tool-descriptions.ts";
import { CapabilitiesInput } from "./capabilities-input.tsx";
import { describeEffectiveSetting, PROVIDER_LABELS, type TShownSetting } from "./describe-effective-setting.ts";
import { diffAgentProfile } from "./diff-agent-profile.ts";
import { draftSettingsLayer, parseAgentDraft, type TDraftIssues } from "./parse-agent-draft.ts";
import { type TProvisionOutcome, useAgentProvisioning } from "./use-agent-provisioning.ts";
import { type TConnectionChoice, useAgentSettingsContext } from "./use-agent-settings-context.ts";

const CONNECTION_KIND_LABELS: Record<string, string> = { openai_compatible: "OpenAI-compatible", anthropic: "Anthropic", cli: "CLI agent" };

/** The fields in the order they appear, so the first problem gets focus. */
const FIELD_ORDER: readonly TDraftField[] = [
  "agent_key",
  "display_name",
  "role",
  "enabled",
  "provider",
  "model",
  "temperature",
  "max_context_tokens",
  "max_output_tokens",
  "verbosity",
  "system_prompt",
  "tools_enabled",
  "risk_tolerance",
  "capabilities",
];

/** What the last save said, for the status line under the buttons. */
type TSaveStatus = { tone: "ok" | "wait" | "bad"; text: string } | null;

/**
 * The agent editor: every profile field, validated with the shared ZAgentProfile (each problem
 * beside its field), with each model setting's effective value and where it comes from (project
 * defaults → this agent), resolved by the same resolveAgentSettings the executor runs with. Saving
 * sends a provisioning request (only the changed fields for an existing agent). Viewers see it
 * read-only.
 */
export function AgentEditor({
  agent,
  onSaved,
  onCancel,
}: {
  /** The agent to edit; null for a new one. */
  agent: TAgent | null;
  /** Called after the executor applied the change, or after it was queued. */
  onSaved?: (outcome: TProvisionOutcome) => void;
  onCancel?: () => void;
}) {
  const { project, canWrite, role } = useProject();
  const mode = useLiveStore((s) => s.connection.mode);
  const provisioning = useAgentProvisioning();
  const { defaults, defaultsProblem, connections } = useAgentSettingsContext(project.id);
  const uid = useId();
  const idOf = (field: TDraftField) => `${uid}-${field}`;
  const formRef = useRef<HTMLFormElement>(null);

  const [draft, setDraft] = useState<TAgentDraft>(() => draftFromAgent(agent));
  const [baseline, setBaseline] = useState<TAgentDraft>(() => draftFromAgent(agent));
  // The agent row as it was when the baseline was set: the form follows the row only when the row moves on.
  const [seen, setSeen] = useState(() => JSON.stringify(draftFromAgent(agent)));
  const [issues, setIssues] = useState<TDraftIssues>({});
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<TSaveStatus>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(baseline);

  // The agent changed (applied here, by the executor later, or by another operator): follow it
  // unless this form has edits; a queued save keeps showing what was saved until it applies.
  const fresh = useMemo(() => draftFromAgent(agent), [agent]);
  const freshJson = JSON.stringify(fresh);
  const changedElsewhere = agent !== null && freshJson !== seen;
  useEffect(() => {
    if (!changedElsewhere || dirty) return;
    setDraft(fresh);
    setBaseline(fresh);
    setSeen(JSON.stringify(fresh));
  }, [changedElsewhere, dirty, fresh]);

  const set = <K extends TDraftField>(field: K, value: TAgentDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    if (issues[field]) setIssues(({ [field]: _gone, ...rest }) => rest);
    setStatus(null);
  };

  const resolved = useMemo(() => resolveAgentSettings({ project: defaults, agent: draftSettingsLayer(draft) }), [defaults, draft]);
  const inherited = useMemo(() => resolveAgentSettings({ project: defaults }), [defaults]);
  // A placeholder shows only while its field is empty, so the draft's resolution is what inheriting gives.
  const inheritText = (field: TShownSetting) => `Inherit (${describeEffectiveSetting(resolved, field, connections).value})`;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!canWrite) return;
    setStatus(null);
    const parsed = parseAgentDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      const first = FIELD_ORDER.find((field) => parsed.issues[field]);
      if (first) (formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`) ?? document.getElementById(idOf(first)))?.focus();
      setStatus({ tone: "bad", text: "Fix the fields marked in red, then save again." });
      return;
    }
    setIssues({});
    const edited = (Object.keys(draft) as TDraftField[]).filter(
      (field) => JSON.stringify(draft[field]) !== JSON.stringify(baseline[field]),
    );
    const patch = agent ? diffAgentProfile(agent, parsed.profile, edited) : null;
    if (patch && Object.keys(patch).length === 0) {
      setStatus({ tone: "ok", text: "Nothing changed." });
      return;
    }
    setBusy(true);
    try {
      const outcome = agent && patch ? await provisioning.update(agent, patch) : await provisioning.create(parsed.profile);
      if (outcome.state === "failed") {
        setStatus({ tone: "bad", text: outcome.message ?? "The executor refused the change." });
        return;
      }
      setBaseline(draft);
      // Seen as the row was before this save: once the change is applied, the row moves on and the form follows it.
      setSeen(freshJson);
      setStatus(outcome.state === "applied" ? { tone: "ok", text: "Saved." } : { tone: "wait", text: outcome.message ?? "Saved." });
      onSaved?.(outcome);
    } catch (err) {
      setStatus({ tone: "bad", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (field: TDraftField, extraHint?: boolean) => ({
    id: idOf(field),
    "data-field": field,
    "aria-invalid": issues[field] ? true : undefined,
    "aria-describedby":
      [extraHint ? `${idOf(field)}-hint` : null, issues[field] ? `${idOf(field)}-issue` : null].filter(Boolean).join(" ") || undefined,
  });

  const effective = (field: TShownSetting) => {
    const shown = describeEffectiveSetting(resolved, field, connections);
    return (
      <span>
        <span className={styles.effectiveValue}>{shown.value}</span> · {shown.source}
      </span>
    );
  };

  return (
    <form
      ref={formRef}
      className={styles.editor}
      onSubmit={submit}
      noValidate
      aria-label={agent ? `Profile of ${agent.display_name}` : "New agent"}
    >
      {role === "viewer" ? <p className="muted">You are a viewer in this project: the profile is read-only.</p> : null}
      {agent && changedElsewhere && dirty && !busy ? (
        <p className={styles.warning} role="status">
          This agent was changed elsewhere since you started editing: saving sends only the fields you changed.
        </p>
      ) : null}
      <fieldset className={styles.fieldset} disabled={!canWrite}>
        <div className={styles.section}>
          <h3 className={styles.sectionTitle}>Identity</h3>
          <div className={styles.grid}>
            <Field
              label={FIELD_LABELS.agent_key}
              id={idOf("agent_key")}
              issue={issues.agent_key}
              hint={
                agent
                  ? "Renaming moves its docs, DM and queued messages to the new key."
                  : "Used in @mentions; lower-case letters, digits, _ or -."
              }
            >
              <input
                {...fieldProps("agent_key", true)}
                value={draft.agent_key}
                onChange={(e) => set("agent_key", e.target.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={32}
                placeholder="backend"
              />
            </Field>
            <Field label={FIELD_LABELS.display_name} id={idOf("display_name")} issue={issues.display_name}>
              <input
                {...fieldProps("display_name")}
                value={draft.display_name}
                onChange={(e) => set("display_name", e.target.value)}
                maxLength={80}
                placeholder="Backend engineer"
              />
            </Field>
            <Field label={FIELD_LABELS.role} id={idOf("role")} issue={issues.role} wide>
              <input
                {...fieldProps("role")}
                value={draft.role}
                onChange={(e) => set("role", e.target.value)}
                maxLength={200}
                placeholder="Owns the API and the database migrations"
              />
            </Field>
            <div className={styles.checkField}>
              <label>
                <input type="checkbox" checked={draft.enabled} onChange={(e) => set("enabled", e.target.checked)} data-field="enabled" />
                {FIELD_LABELS.enabled}
              </label>
              <span className={styles.hint}>A disabled agent gets no new messages.</span>
            </div>
          </div>
        </div>

        <div className={styles.section}>
          <h3 className={styles.sectionTitle}>Model</h3>
          <p className={styles.sectionNote}>
            Empty fields inherit the project defaults (
            <Link href={`/p/${project.slug}/settings/agent-defaults`}>Settings → Agent defaults</Link>), then the built-in values.
            {defaultsProblem ? <span className={styles.issue}> {defaultsProblem}</span> : null}
          </p>
          <div className={styles.grid}>
            <Field label={FIELD_LABELS.provider} id={idOf("provider")} issue={issues.provider} effective={effective("provider")} wide>
              <ProviderSelect
                fieldProps={fieldProps("provider", true)}
                value={draft.provider}
                onChange={(value) => set("provider", value)}
                connections={connections}
                inheritLabel={`Inherit project default (${describeEffectiveSetting(inherited, "provider", connections).value})`}
              />
            </Field>
            <Field label={FIELD_LABELS.model} id={idOf("model")} issue={issues.model} effective={effective("model")} wide>
              <input
                {...fieldProps("model", true)}
                value={draft.model}
                onChange={(e) => set("model", e.target.value)}
                maxLength={200}
                spellCheck={false}
                placeholder={inheritText("model")}
              />
            </Field>
            <Field
              label={FIELD_LABELS.temperature}
              id={idOf("temperature")}
              issue={issues.temperature}
              effective={effective("temperature")}
            >
              <input
                {...fieldProps("temperature", true)}
                inputMode="decimal"
                value={draft.temperature}
                onChange={(e) => set("temperature", e.target.value)}
                placeholder={inheritText("temperature")}
              />
            </Field>
            <Field label={FIELD_LABELS.verbosity} id={idOf("verbosity")} issue={issues.verbosity} effective={effective("verbosity")}>
              <select
                {...fieldProps("verbosity", true)}
                value={draft.verbosity}
                onChange={(e) => set("verbosity", e.target.value as TAgentDraft["verbosity"])}
              >
                <option value={INHERIT}>{inheritText("verbosity")}</option>
                {AGENT_VERBOSITIES.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label={FIELD_LABELS.max_context_tokens}
              id={idOf("max_context_tokens")}
              issue={issues.max_context_tokens}
              effective={effective("max_context_tokens")}
            >
              <input
                {...fieldProps("max_context_tokens", true)}
                inputMode="numeric"
                value={draft.max_context_tokens}
                onChange={(e) => set("max_context_tokens", e.target.value)}
                placeholder={inheritText("max_context_tokens")}
              />
            </Field>
            <Field
              label={FIELD_LABELS.max_output_tokens}
              id={idOf("max_output_tokens")}
              issue={issues.max_output_tokens}
              effective={effective("max_output_tokens")}
            >
              <input
                {...fieldProps("max_output_tokens", true)}
                inputMode="numeric"
                value={draft.max_output_tokens}
                onChange={(e) => set("max_output_tokens", e.target.value)}
                placeholder={inheritText("max_output_tokens")}
              />
            </Field>
          </div>
        </div>

        <div className={styles.section}>
          <h3 className={styles.sectionTitle}>Behaviour</h3>
          <div className={styles.grid}>
            <Field
              label={FIELD_LABELS.system_prompt}
              id={idOf("system_prompt")}
              issue={issues.system_prompt}
              hint={`${draft.system_prompt.length.toLocaleString("en-US")} / 20,000 characters. The verbosity adds one sentence to it.`}
              wide
            >
              <textarea
                {...fieldProps("system_prompt", true)}
                className={styles.prompt}
                value={draft.system_prompt}
                onChange={(e) => set("system_prompt", e.target.value)}
                rows={8}
                maxLength={20_000}
                placeholder="You are the backend engineer of this project…"
              />
            </Field>
            <fieldset
              className={`${styles.tools} ${styles.wide}`}
              aria-describedby={issues.tools_enabled ? `${idOf("tools_enabled")}-issue` : undefined}
            >
              <legend className={styles.label}>{FIELD_LABELS.tools_enabled}</legend>
              <p className={styles.hint}>
                The tools this agent may use: read-only tools run directly, every other one is a proposal for approval; a tool not checked
                is never offered to it.
              </p>
              {AGENT_TOOLS.map((tool, i) => (
                <label key={tool} className={styles.tool}>
                  <input
                    type="checkbox"
                    checked={draft.tools_enabled.includes(tool)}
                    data-field={i === 0 ? "tools_enabled" : undefined}
                    onChange={(e) =>
                      set(
                        "tools_enabled",
                        e.target.checked
                          ? AGENT_TOOLS.filter((t) => t === tool || draft.tools_enabled.includes(t))
                          : draft.tools_enabled.filter((t) => t !== tool),
                      )
                    }
                  />
                  <code>{tool}</code>
                  <span className={styles.toolText}>{AGENT_TOOL_DESCRIPTIONS[tool]}</span>
                </label>
              ))}
              <Issue id={`${idOf("tools_enabled")}-issue`} text={issues.tools_enabled} />
            </fieldset>
            <Field
              label={FIELD_LABELS.risk_tolerance}
              id={idOf("risk_tolerance")}
              issue={issues.risk_tolerance}
              hint="The highest risk it may propose."
            >
              <select
                {...fieldProps("risk_tolerance", true)}
                value={draft.risk_tolerance}
                onChange={(e) => set("risk_tolerance", e.target.value as TAgentDraft["risk_tolerance"])}
              >
                {RISK_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {level} — {RISK_TOLERANCE_DESCRIPTIONS[level]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label={FIELD_LABELS.capabilities}
              id={idOf("capabilities")}
              issue={issues.capabilities}
              hint="Free tags (sql, react, research), for routing work later. Enter or comma adds one."
              wide
            >
              <CapabilitiesInput
                id={idOf("capabilities")}
                value={draft.capabilities}
                onChange={(tags) => set("capabilities", tags)}
                disabled={!canWrite}
                describedBy={`${idOf("capabilities")}-hint`}
                invalid={Boolean(issues.capabilities)}
              />
            </Field>
          </div>
        </div>
      </fieldset>

      {canWrite ? (
        <div className={styles.actions}>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Saving…" : "Save profile"}
          </button>
          {onCancel ? (
            <button type="button" className="button" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
          ) : dirty ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                setDraft(baseline);
                setIssues({});
                setStatus(null);
              }}
            >
              Discard changes
            </button>
          ) : null}
          <span className={styles.status} aria-live="polite" data-testid="agent-save-status">
            {status ? (
              <span className={styles.statusText} data-tone={status.tone} role={status.tone === "bad" ? "alert" : undefined}>
                {status.text}
              </span>
            ) : dirty ? (
              <span className="muted">Unsaved changes{mode === "live" ? "" : " — saved changes apply when the executor is back"}</span>
            ) : null}
          </span>
        </div>
      ) : null}
    </form>
  );
}

/** A labelled field with its hint, its effective value and its problem underneath. */
function Field({
  label,
  id,
  issue,
  hint,
  effective,
  wide,
  children,
}: {
  label: string;
  id: string;
  issue?: string;
  hint?: string;
  effective?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? `${styles.field} ${styles.wide}` : styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children}
      {effective || hint ? (
        <span id={`${id}-hint`} className={effective ? styles.effective : styles.hint}>
          {effective ? (
            <>
              <span className="visually-hidden">Effective: </span>
              {effective}
            </>
          ) : (
            hint
          )}
        </span>
      ) : null}
      <Issue id={`${id}-issue`} text={issue} />
    </div>
  );
}

/** A field's problem, in the shared schema's words. */
function Issue({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <span id={id} className={styles.issue}>
      {text}
    </span>
  );
}

/** The provider select: inherit, the built-in model, the environment's connections, and each project connection by name. */
function ProviderSelect({
  fieldProps,
  value,
  onChange,
  connections,
  inheritLabel,
}: {
  fieldProps: Record<string, unknown>;
  value: string;
  onChange: (value: string) => void;
  connections: readonly TConnectionChoice[];
  inheritLabel: string;
}) {
  const unknownConnection = value.startsWith("connection:") && !connections.some((c) => `connection:${c.id}` === value);
  return (
    <select {...fieldProps} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value={INHERIT}>{inheritLabel}</option>
      <option value="builtin">{PROVIDER_LABELS.builtin}</option>
      <option value="openai_compatible">{PROVIDER_LABELS.openai_compatible}</option>
      <option value="anthropic">{PROVIDER_LABELS.anthropic}</option>
      <optgroup label="Project connections">
        {connections.length === 0 ? (
          <option disabled value="connection:">
            None yet: add one in Settings → Providers
          </option>
        ) : null}
        {connections.map((c) => (
          <option key={c.id} value={`connection:${c.id}`}>
            {c.name} ({CONNECTION_KIND_LABELS[c.kind] ?? c.kind})
          </option>
        ))}
        {unknownConnection ? <option value={value}>A connection that no longer exists</option> : null}
      </optgroup>
    </select>
  );
}
