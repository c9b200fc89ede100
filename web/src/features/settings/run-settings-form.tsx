"use client";

import { DEFAULT_RUN_TEST_ALLOWLIST, ZRunSettings } from "@mission-control/shared/schemas";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { FormField as Field } from "../providers/form-field.tsx";
import providerStyles from "../providers/providers.module.css";
import type { TFieldIssues } from "../providers/read-field-issues.ts";
import { runWrite } from "../providers/run-write.ts";
import {
  draftFromRunSettings,
  parseRunSettingsDraft,
  runSettingBounds,
  type TRunNumberField,
  type TRunSettingsDraft,
  type TStoredRunSettings,
  testCommandProgram,
} from "./run-settings-draft.ts";
import styles from "./settings-view.module.css";
import { updateProjectSetting } from "./update-project-setting.ts";

const NUMBER_FIELDS: { field: TRunNumberField; label: string; unit: string; what: string }[] = [
  { field: "test_timeout_seconds", label: "Test timeout (seconds)", unit: " s", what: "A test command still running then is stopped" },
  { field: "max_iterations", label: "Max iterations", unit: "", what: "Apply → test → fix rounds before the run hands off to you" },
  { field: "max_steps", label: "Max steps", unit: "", what: "Tool calls an agent may make in one run" },
];

/**
 * Settings → Runs: the project's run settings (project_settings `runs`, validated with the shared
 * `ZRunSettings`; the database checks the same rules). The test command runs on the executor's
 * machine without a shell, so the form says where and which programs it may start.
 */
export function RunSettingsForm() {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const setting = useLiveStore((s) => s.rows.project_settings[`${project.id}:runs`]);
  const stored = useMemo(() => (setting ? ZRunSettings.partial().safeParse(setting.value) : null), [setting]);
  // Only the keys stored count as set: the parse fills in the defaults of the others.
  const saved: TStoredRunSettings = useMemo(() => {
    if (!stored?.success || !setting || typeof setting.value !== "object" || setting.value === null) return {};
    const keys = Object.keys(setting.value);
    return Object.fromEntries(Object.entries(stored.data).filter(([key]) => keys.includes(key))) as TStoredRunSettings;
  }, [stored, setting]);
  const [draft, setDraft] = useState<TRunSettingsDraft>(() => draftFromRunSettings(saved));
  const [issues, setIssues] = useState<TFieldIssues>({});
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const storedKey = setting ? `${setting.seq}` : "none";

  // Follow changes made elsewhere (another tab, another operator) unless the form holds unsaved edits.
  useEffect(() => {
    if (!dirty) setDraft(draftFromRunSettings(saved));
  }, [storedKey]);

  const set = (field: keyof TRunSettingsDraft, value: string) => {
    setDirty(true);
    setStatus(null);
    setDraft((prev) => ({ ...prev, [field]: value }));
    // The problem shown beside a field goes once the operator changes it; saving checks again.
    setIssues(({ [field]: _, ...others }) => others);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const parsed = parseRunSettingsDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      setStatus({ tone: "error", text: "Nothing was saved: correct the fields marked in red." });
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      const row = await runWrite(() => updateProjectSetting(client, project.id, "runs", parsed.value), createFallbackDeps(store));
      store.getState().applyRows("project_settings", [row]);
      setDirty(false);
      setStatus({ tone: "ok", text: "Run settings saved: runs that start from now on use them." });
    } catch (err) {
      setStatus({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const program = testCommandProgram(draft.test_command);
  const offDefaultList = program !== "" && !(DEFAULT_RUN_TEST_ALLOWLIST as readonly string[]).includes(program);
  const effectiveCommand = saved.test_command ?? "";

  return (
    <div className={styles.group}>
      <h2 className={styles.groupTitle}>Runs</h2>
      <p className="muted">
        How agents work through a task here: the command a test run executes after a changeset is applied, and how long a run may go on. An
        empty field uses the default.
      </p>
      {stored && !stored.success ? (
        <p className={providerStyles.error} role="alert">
          The stored run settings are not valid and are ignored (the defaults apply): save this form to replace them.
        </p>
      ) : null}
      <form className={`${providerStyles.form} ${styles.threeColumns}`} onSubmit={submit} aria-label="Run settings" noValidate>
        <Field
          label="Test command"
          issue={issues.test_command}
          wide
          hint={
            <>
              Runs in the executor's <code>WORKSPACE_DIR</code> <strong>without a shell</strong>: no pipes, <code>&amp;&amp;</code>,
              redirects or <code>$VARIABLES</code> (put several steps in a script). Its program must be on the executor's{" "}
              <code>RUN_TEST_ALLOWLIST</code> (default: {DEFAULT_RUN_TEST_ALLOWLIST.join(", ")}). Empty: no test run after an apply.
            </>
          }
        >
          {(control) => (
            <input
              value={draft.test_command}
              disabled={!canWrite}
              spellCheck={false}
              autoComplete="off"
              className={providerStyles.mono}
              {...control}
              placeholder="npm test"
              onChange={(e) => set("test_command", e.target.value)}
            />
          )}
        </Field>
        {offDefaultList && !issues.test_command ? (
          <p className={`${providerStyles.warn} ${styles.fieldNote}`} data-testid="allowlist-warning">
            <code>{program}</code> is not on the default allowlist: test runs fail unless the executor's RUN_TEST_ALLOWLIST names it.
          </p>
        ) : null}
        {NUMBER_FIELDS.map(({ field, label, what }) => {
          const { min, max, fallback } = runSettingBounds(field);
          return (
            <Field key={field} label={label} issue={issues[field]} hint={`${what}. ${min}–${max}; empty: ${fallback}.`}>
              {(control) => (
                <input
                  type="number"
                  inputMode="numeric"
                  step="1"
                  value={draft[field]}
                  disabled={!canWrite}
                  {...control}
                  placeholder={String(fallback)}
                  onChange={(e) => set(field, e.target.value)}
                />
              )}
            </Field>
          );
        })}
        {canWrite ? (
          <div className={providerStyles.formActions}>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Saving…" : "Save run settings"}
            </button>
            {dirty ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setDirty(false);
                  setIssues({});
                  setStatus(null);
                  setDraft(draftFromRunSettings(saved));
                }}
              >
                Discard changes
              </button>
            ) : null}
          </div>
        ) : null}
        <div aria-live="polite" className={providerStyles.formActions}>
          {status ? (
            <p
              className={status.tone === "ok" ? providerStyles.ok : providerStyles.error}
              role={status.tone === "error" ? "alert" : undefined}
              data-testid="run-settings-status"
              style={{ margin: 0 }}
            >
              {status.text}
            </p>
          ) : null}
        </div>
      </form>
      <h3 className={styles.subTitle}>Runs use now</h3>
      <dl className={styles.effective}>
        <div className={styles.effectiveWide}>
          <dt>Test command</dt>
          <dd>{effectiveCommand ? <code>{effectiveCommand}</code> : <span className="muted">none: no test run after an apply</span>}</dd>
        </div>
        {NUMBER_FIELDS.map(({ field, label, unit }) => {
          const value = saved[field];
          return (
            <div key={field}>
              <dt>{label.replace(" (seconds)", "")}</dt>
              <dd>
                {(value ?? runSettingBounds(field).fallback).toLocaleString("en-US")}
                {unit} <span className="muted">· {value === undefined ? "default" : "set here"}</span>
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
