"use client";

import type { ZBudgetInput, ZModelPriceInput } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import type { z } from "zod";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { runWrite } from "../providers/run-write.ts";
import { deleteBudget } from "./delete-budget.ts";
import { deleteModelPrice } from "./delete-model-price.ts";
import { budgetScopeLabel } from "./describe-budget.ts";
import { saveBudget } from "./save-budget.ts";
import { saveModelPrice } from "./save-model-price.ts";

/** Budget writes of the Usage page. */
export interface TBudgetActions {
  saveBudget(input: { id?: string; budget: z.output<typeof ZBudgetInput> }): Promise<void>;
  deleteBudget(id: string): Promise<void>;
}

/** Model price writes of the Usage page. */
export interface TPriceActions {
  savePrice(price: z.output<typeof ZModelPriceInput>): Promise<void>;
  deletePrice(model: string): Promise<void>;
}

/**
 * Budgets and model prices of the current project, written through RLS with executeWithFallback
 * (nothing to notify: the executor reads budgets and prices at each call) and put in the store.
 */
export function useUsageActions(): TBudgetActions & TPriceActions {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const projectId = project.id;
    return {
      async saveBudget({ id, budget }) {
        const agentKeys = new Map(Object.values(store.getState().rows.agents).map((agent) => [agent.id, agent.agent_key]));
        const scopeLabel = budgetScopeLabel(budget.agent_id, agentKeys);
        const row = await runWrite(() => saveBudget(client, { projectId, id, budget, scopeLabel }), deps);
        store.getState().applyRows("budgets", [row]);
      },
      async deleteBudget(id) {
        await runWrite(() => deleteBudget(client, { projectId, id }), deps);
        store.getState().removeRows("budgets", [id]);
      },
      async savePrice(price) {
        const row = await runWrite(() => saveModelPrice(client, { projectId, price }), deps);
        store.getState().applyRows("model_prices", [row]);
      },
      async deletePrice(model) {
        await runWrite(() => deleteModelPrice(client, { projectId, model }), deps);
        store.getState().removeRows("model_prices", [`${projectId}:${model}`]);
      },
    };
  }, [client, project.id, store]);
}
