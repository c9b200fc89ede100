"use client";

import type { TBudget } from "@mission-control/shared/rows";
import { useId, useMemo, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import providerStyles from "../providers/providers.module.css";
import { BudgetForm } from "./budget-form.tsx";
import { budgetPeriodLabel, budgetScopeLabel, budgetUse, formatBudgetAmount, formatShare } from "./describe-budget.ts";
import type { TBudgetStatus } from "./read-budget-status.ts";
import styles from "./usage.module.css";
import { useBudgetStatus } from "./use-budget-status.ts";
import type { TBudgetActions } from "./use-usage-actions.ts";

function BudgetMeter(props: { budget: TBudget; status: TBudgetStatus | undefined; scope: string }) {
  const { budget, status } = props;
  if (!status) return <span className={styles.hint}>Reading what it has used…</span>;
  const { share, level } = budgetUse(budget, status.spent);
  const used = formatBudgetAmount(budget.unit, status.spent);
  const limit = formatBudgetAmount(budget.unit, budget.hard_limit);
  const percent = formatShare(status.spent, budget.hard_limit);
  const text = `${used} of ${limit} used this ${budget.period === "day" ? "day" : "month"} (${percent})`;
  return (
    <div className={styles.meterRow}>
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot mark the warning threshold on the bar */}
      <div
        className={styles.meter}
        role="meter"
        aria-label={`${props.scope} budget used`}
        aria-valuemin={0}
        aria-valuemax={budget.hard_limit}
        aria-valuenow={Math.min(status.spent, budget.hard_limit)}
        aria-valuetext={text}
        data-level={level}
      >
        <span style={{ width: `${(share * 100).toFixed(2)}%` }} />
        {budget.soft_ratio !== null ? <i style={{ left: `${budget.soft_ratio * 100}%` }} aria-hidden="true" /> : null}
      </div>
      <span className={styles.meterText} data-level={level}>
        {used} / {limit} · {percent}
        {level === "exceeded" ? " · limit reached: calls in its scope are refused" : level === "warn" ? " · past the warning" : ""}
      </span>
    </div>
  );
}

/**
 * Usage → Budgets: every budget with what it has used this period as a bar (the warning
 * threshold marked). Operators add and edit; owners delete.
 */
export function BudgetsPanel({ actions }: { actions: TBudgetActions }) {
  const { project, canWrite, role } = useProject();
  const headingId = useId();
  const rows = useLiveStore((s) => s.rows.budgets);
  const agentRows = useLiveStore((s) => s.rows.agents);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const agents = useMemo(
    () =>
      Object.values(agentRows)
        .filter((agent) => agent.project_id === project.id)
        .sort((a, b) => a.agent_key.localeCompare(b.agent_key)),
    [agentRows, project.id],
  );
  const agentKeys = useMemo(() => new Map(agents.map((agent) => [agent.id, agent.agent_key])), [agents]);
  const budgets = useMemo(
    () =>
      Object.values(rows)
        .filter((budget) => budget.project_id === project.id)
        .sort(
          (a, b) =>
            Number(a.agent_id !== null) - Number(b.agent_id !== null) ||
            budgetScopeLabel(a.agent_id, agentKeys).localeCompare(budgetScopeLabel(b.agent_id, agentKeys)) ||
            a.period.localeCompare(b.period) ||
            a.unit.localeCompare(b.unit),
        ),
    [rows, project.id, agentKeys],
  );
  // Changes when a budget is added, edited or deleted: its spend is read again.
  const budgetsKey = budgets.map((budget) => `${budget.id}:${budget.seq}`).join(",");
  const status = useBudgetStatus(project.id, budgetsKey);

  const remove = async (id: string) => {
    setError(null);
    try {
      await actions.deleteBudget(id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setConfirming(null);
    }
  };

  return (
    <section className={styles.panel} aria-labelledby={headingId} id="budgets">
      <header className={styles.panelHead}>
        <h2 className={styles.panelTitle} id={headingId}>
          Budgets
        </h2>
        {canWrite && editing !== "new" ? (
          <button type="button" className="button small primary" onClick={() => setEditing("new")}>
            Add budget
          </button>
        ) : null}
      </header>
      <p className={styles.hint}>
        A call that would pass a hard limit is not made: the delivery fails with “budget exceeded” and the agent shows paused. Raise the
        limit, then press Retry on the message. Pending calls count against the limit while they run.
      </p>
      {status.error ? (
        <p role="alert" className={styles.error}>
          {status.error}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {editing === "new" ? <BudgetForm agents={agents} actions={actions} onDone={() => setEditing(null)} /> : null}
      {budgets.length === 0 && editing !== "new" ? <p className={styles.empty}>No budgets: agents' calls are not capped.</p> : null}
      <ul className={styles.budgets}>
        {budgets.map((budget) =>
          editing === budget.id ? (
            <li key={budget.id}>
              <BudgetForm budget={budget} agents={agents} actions={actions} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={budget.id} className={styles.budget}>
              <div className={styles.budgetHead}>
                <strong>{budgetScopeLabel(budget.agent_id, agentKeys)}</strong>
                <span className={styles.hint}>
                  {budget.unit === "tokens" ? "tokens" : "US dollars"} {budgetPeriodLabel(budget.period)}
                  {budget.soft_ratio !== null ? ` · warns at ${Math.round(budget.soft_ratio * 1000) / 10} %` : " · no warning"}
                </span>
                <span className={providerStyles.spacer} />
                {canWrite ? (
                  <button type="button" className="button small" onClick={() => setEditing(budget.id)}>
                    Edit
                  </button>
                ) : null}
                {role === "owner" ? (
                  confirming === budget.id ? (
                    <span className={providerStyles.confirm}>
                      Delete this budget?
                      <button type="button" className={`button small ${providerStyles.danger}`} onClick={() => void remove(budget.id)}>
                        Delete
                      </button>
                      <button type="button" className="button small" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button small" onClick={() => setConfirming(budget.id)}>
                      Delete
                    </button>
                  )
                ) : null}
              </div>
              <BudgetMeter budget={budget} status={status.byBudget.get(budget.id)} scope={budgetScopeLabel(budget.agent_id, agentKeys)} />
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
