"use client";

import { useProject } from "../projects/project-context.tsx";
import shell from "../ui/page.module.css";
import { BudgetsPanel } from "./budgets-panel.tsx";
import { ModelPricesPanel } from "./model-prices-panel.tsx";
import styles from "./usage.module.css";
import { UsageChart } from "./usage-chart.tsx";
import { useUsageActions } from "./use-usage-actions.ts";

/** The Usage page: tokens and spend per day (by agent or model, with totals), budgets and model prices. */
export function UsageView() {
  const { project, role } = useProject();
  const actions = useUsageActions();
  return (
    <section className={styles.page}>
      <h1 className={shell.pageTitle} style={{ margin: 0 }}>
        Usage
      </h1>
      {role === "viewer" ? <p className="muted">You are a viewer in this project: budgets and prices are read-only.</p> : null}
      <UsageChart projectId={project.id} />
      <div className={styles.columns}>
        <BudgetsPanel actions={actions} />
        <ModelPricesPanel actions={actions} />
      </div>
    </section>
  );
}
