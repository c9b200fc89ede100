"use client";

import type { TAgent, TBudget } from "@mission-control/shared/rows";
import { BUDGET_PERIODS, BUDGET_UNITS } from "@mission-control/shared/schemas";
import { type FormEvent, useState } from "react";
import { FormField as Field } from "../providers/form-field.tsx";
import providerStyles from "../providers/providers.module.css";
import type { TFieldIssues } from "../providers/read-field-issues.ts";
import { draftFromBudget, emptyBudgetDraft, parseBudgetDraft, type TBudgetDraft } from "./budget-draft.ts";
import type { TBudgetActions } from "./use-usage-actions.ts";

/**
 * Adds or edits a budget: the whole project or one agent, per UTC day or month, in tokens or US
 * dollars, a hard limit and an optional warning threshold. Validated with the shared `ZBudgetInput`.
 */
export function BudgetForm(props: {
  budget?: TBudget;
  agents: readonly TAgent[];
  actions: TBudgetActions;
  onDone: (saved: boolean) => void;
}) {
  const [draft, setDraft] = useState<TBudgetDraft>(() => (props.budget ? draftFromBudget(props.budget) : emptyBudgetDraft()));
  const [issues, setIssues] = useState<TFieldIssues>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof TBudgetDraft>(key: K, value: TBudgetDraft[K]) => setDraft((prev) => ({ ...prev, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseBudgetDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      await props.actions.saveBudget({ id: props.budget?.id, budget: parsed.input });
      props.onDone(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const title = props.budget ? "Edit budget" : "New budget";
  return (
    <form className={providerStyles.form} onSubmit={submit} aria-label={title} noValidate>
      <h3 className={providerStyles.formTitle}>{title}</h3>
      <Field label="Applies to" issue={issues.agent_id}>
        {(control) => (
          <select value={draft.agent_id} {...control} onChange={(e) => set("agent_id", e.target.value)}>
            <option value="">Whole project (every agent)</option>
            {props.agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                @{agent.agent_key} ({agent.display_name})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Period" issue={issues.period} hint="Resets at 00:00 UTC (day) or on the 1st, 00:00 UTC (month).">
        {(control) => (
          <select value={draft.period} {...control} onChange={(e) => set("period", e.target.value as TBudgetDraft["period"])}>
            {BUDGET_PERIODS.map((period) => (
              <option key={period} value={period}>
                {period === "day" ? "Day" : "Month"}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Unit" issue={issues.unit} hint="Spend in US dollars counts only models with a price.">
        {(control) => (
          <select value={draft.unit} {...control} onChange={(e) => set("unit", e.target.value as TBudgetDraft["unit"])}>
            {BUDGET_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {unit === "tokens" ? "Tokens (input + output)" : "US dollars"}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Hard limit"
        issue={issues.hard_limit}
        hint="A call that would pass it is not made: the delivery fails with “budget exceeded”."
      >
        {(control) => (
          <input
            inputMode="decimal"
            value={draft.hard_limit}
            {...control}
            placeholder={draft.unit === "tokens" ? "1000000" : "25.00"}
            onChange={(e) => set("hard_limit", e.target.value)}
          />
        )}
      </Field>
      <Field label="Warn at (% of the limit)" issue={issues.soft_ratio} hint="Posts one warning activity per period; empty for none.">
        {(control) => (
          <input
            inputMode="decimal"
            value={draft.soft_percent}
            {...control}
            placeholder="80"
            onChange={(e) => set("soft_percent", e.target.value)}
          />
        )}
      </Field>
      {issues[""] ? <p className={providerStyles.issue}>{issues[""]}</p> : null}
      <div className={providerStyles.formActions}>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : "Save budget"}
        </button>
        <button type="button" className="button" onClick={() => props.onDone(false)}>
          Cancel
        </button>
      </div>
      {error ? (
        <p role="alert" className={providerStyles.error}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
