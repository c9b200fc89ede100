"use client";

import type { TModelPrice } from "@mission-control/shared/rows";
import { ZAgentDefaults } from "@mission-control/shared/schemas";
import { type FormEvent, useId, useMemo, useState } from "react";
import { readSetting } from "../labs/labs-features.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import providerStyles from "../providers/providers.module.css";
import type { TFieldIssues } from "../providers/read-field-issues.ts";
import { formatUsd } from "./format-usage.ts";
import { parseModelPriceDraft, type TModelPriceDraft } from "./model-price-draft.ts";
import styles from "./usage.module.css";
import type { TPriceActions } from "./use-usage-actions.ts";

const EMPTY: TModelPriceDraft = { model: "", input_usd_per_mtok: "", output_usd_per_mtok: "" };

function PriceForm(props: {
  initial: TModelPriceDraft;
  editing: boolean;
  suggestions: readonly string[];
  actions: TPriceActions;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [issues, setIssues] = useState<TFieldIssues>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseModelPriceDraft(draft);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      await props.actions.savePrice(parsed.price);
      setDraft(EMPTY);
      props.onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const problems = [
    issues.model && `Model ${issues.model}`,
    issues.input_usd_per_mtok && `Input price ${issues.input_usd_per_mtok}`,
    issues.output_usd_per_mtok && `Output price ${issues.output_usd_per_mtok}`,
    error,
  ].filter(Boolean);
  return (
    <form
      className={styles.priceForm}
      onSubmit={submit}
      aria-label={props.editing ? `Price of ${draft.model}` : "New model price"}
      noValidate
    >
      <label>
        <span>Model</span>
        <input
          value={draft.model}
          readOnly={props.editing}
          list={listId}
          spellCheck={false}
          aria-invalid={issues.model ? true : undefined}
          placeholder="gpt-4o-mini"
          onChange={(e) => setDraft({ ...draft, model: e.target.value })}
        />
        <datalist id={listId}>
          {props.suggestions.map((model) => (
            <option key={model} value={model} />
          ))}
        </datalist>
      </label>
      <label>
        <span>Input $ / 1M tokens</span>
        <input
          inputMode="decimal"
          value={draft.input_usd_per_mtok}
          aria-invalid={issues.input_usd_per_mtok ? true : undefined}
          placeholder="0.15"
          onChange={(e) => setDraft({ ...draft, input_usd_per_mtok: e.target.value })}
        />
      </label>
      <label>
        <span>Output $ / 1M tokens</span>
        <input
          inputMode="decimal"
          value={draft.output_usd_per_mtok}
          aria-invalid={issues.output_usd_per_mtok ? true : undefined}
          placeholder="0.60"
          onChange={(e) => setDraft({ ...draft, output_usd_per_mtok: e.target.value })}
        />
      </label>
      <div className={styles.priceActions}>
        <button type="submit" className="button small primary" disabled={busy}>
          {busy ? "Saving…" : "Save price"}
        </button>
        {props.editing ? (
          <button type="button" className="button small" onClick={props.onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      {problems.length > 0 ? (
        <p role="alert" className={styles.formProblems}>
          {problems.join(". ")}.
        </p>
      ) : null}
    </form>
  );
}

/**
 * Usage → Model prices: US dollars per million input and output tokens, per model name as the
 * provider reports it. Calls are priced when they are recorded; a model without a price counts
 * tokens only. Operators edit, owners delete.
 */
export function ModelPricesPanel({ actions }: { actions: TPriceActions }) {
  const { project, canWrite, role } = useProject();
  const headingId = useId();
  const rows = useLiveStore((s) => s.rows.model_prices);
  const agents = useLiveStore((s) => s.rows.agents);
  const statuses = useLiveStore((s) => s.rows.agent_status);
  const connections = useLiveStore((s) => s.rows.provider_connections);
  const settings = useLiveStore((s) => s.rows.project_settings);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const prices = useMemo(
    () =>
      Object.values(rows)
        .filter((price) => price.project_id === project.id)
        .sort((a, b) => a.model.localeCompare(b.model)),
    [rows, project.id],
  );
  const defaults = readSetting(settings, project.id, "agent_defaults", ZAgentDefaults);
  // Models this project uses or may use that have no price yet: offered when adding one.
  const unpriced = useMemo(() => {
    const priced = new Set(prices.map((price) => price.model));
    const seen = new Set<string>();
    const add = (model: string | null | undefined) => {
      if (model && model !== "builtin-offline" && !priced.has(model)) seen.add(model);
    };
    for (const agent of Object.values(agents)) if (agent.project_id === project.id) add(agent.model);
    for (const status of Object.values(statuses)) if (status.project_id === project.id) add(status.last_model);
    for (const connection of Object.values(connections)) if (connection.project_id === project.id) add(connection.default_model);
    add(defaults.model);
    return [...seen].sort();
  }, [prices, agents, statuses, connections, defaults.model, project.id]);

  const remove = async (model: string) => {
    setError(null);
    try {
      await actions.deletePrice(model);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setConfirming(null);
    }
  };
  const draftOf = (price: TModelPrice): TModelPriceDraft => ({
    model: price.model,
    input_usd_per_mtok: String(price.input_usd_per_mtok),
    output_usd_per_mtok: String(price.output_usd_per_mtok),
  });

  return (
    <section className={styles.panel} aria-labelledby={headingId} id="model-prices">
      <header className={styles.panelHead}>
        <h2 className={styles.panelTitle} id={headingId}>
          Model prices
        </h2>
      </header>
      <p className={styles.hint}>
        US dollars per million tokens, by the model name the provider reports. A call is priced when it is recorded (changing a price does
        not reprice past calls); a model without a price counts tokens only, and USD budgets do not see it. Check your provider's current
        prices.
      </p>
      {unpriced.length > 0 ? <p className={styles.notice}>In use without a price: {unpriced.join(", ")}.</p> : null}
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {prices.length === 0 ? <p className={styles.empty}>No prices yet: spend shows as “—”.</p> : null}
      {prices.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className={styles.num}>
                Input / 1M
              </th>
              <th scope="col" className={styles.num}>
                Output / 1M
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prices.map((price) =>
              editing === price.model ? (
                <tr key={price.model}>
                  <td colSpan={4}>
                    <PriceForm initial={draftOf(price)} editing suggestions={[]} actions={actions} onDone={() => setEditing(null)} />
                  </td>
                </tr>
              ) : (
                <tr key={price.model}>
                  <th scope="row" className={providerStyles.mono}>
                    {price.model}
                  </th>
                  <td className={styles.num}>{formatUsd(price.input_usd_per_mtok)}</td>
                  <td className={styles.num}>{formatUsd(price.output_usd_per_mtok)}</td>
                  <td className={styles.rowActions}>
                    {canWrite ? (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setEditing(price.model)}
                        aria-label={`Edit the price of ${price.model}`}
                      >
                        Edit
                      </button>
                    ) : null}
                    {role === "owner" ? (
                      confirming === price.model ? (
                        <>
                          <button
                            type="button"
                            className={`button small ${providerStyles.danger}`}
                            onClick={() => void remove(price.model)}
                          >
                            Delete
                          </button>
                          <button type="button" className="button small" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button small"
                          onClick={() => setConfirming(price.model)}
                          aria-label={`Delete the price of ${price.model}`}
                        >
                          Delete
                        </button>
                      )
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
      {canWrite ? <PriceForm initial={EMPTY} editing={false} suggestions={unpriced} actions={actions} onDone={() => undefined} /> : null}
    </section>
  );
}
