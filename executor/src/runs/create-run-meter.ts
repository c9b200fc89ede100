import type { Json } from "@mission-control/shared/db";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TCallReserver } from "../delivery/reserve-provider-call.ts";
import type { TRunCallPlan, TRunMeter } from "./meter-run-provider.ts";

/**
 * The run meter on the deliveries' budget machinery: a step is reserved through the executor's
 * batched reserver (reserve_provider_calls) and recorded with record_provider_call, so runs and
 * deliveries count against the same budgets and show in the same usage.
 */
export function createRunMeter(db: TDb, reserver: TCallReserver): TRunMeter {
  const asCall = ({ run_id: _run, ...plan }: TRunCallPlan) => ({ ...plan, delivery_id: null });
  return {
    reserve: (plan) => reserver.reserve(asCall(plan)),
    async record(call) {
      const { run_id: _run, ...rest } = call;
      const { data, error } = await db.rpc("record_provider_call", { p_call: { ...rest, delivery_id: null } as unknown as Json });
      if (error) throw readDbError(error, `Could not record provider call ${call.id}`, "database_unreachable");
      const cost = (data as { cost_usd?: unknown } | null)?.cost_usd;
      return { costUsd: typeof cost === "number" ? cost : cost == null ? null : Number(cost) };
    },
  };
}
