import { type TModelPrice, ZModelPrice } from "@mission-control/shared/rows";
import type { ZModelPriceInput } from "@mission-control/shared/schemas";
import type { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "../providers/database-write-error.ts";

/**
 * Sets a model's price (upsert on project + model, operators and owners through RLS). Calls
 * recorded from now on are priced with it; past calls keep the cost they were recorded with.
 */
export async function saveModelPrice(
  client: TBrowserClient,
  input: { projectId: string; price: z.output<typeof ZModelPriceInput> },
): Promise<TModelPrice> {
  const { data, error } = await client
    .from("model_prices")
    .upsert({ ...input.price, project_id: input.projectId }, { onConflict: "project_id,model" })
    .select()
    .maybeSingle();
  if (error) throw databaseWriteError(error, { what: "model prices" });
  if (!data) throw databaseWriteError({ code: "42501", message: "no row was written" }, { what: "model prices" });
  return ZModelPrice.parse(data);
}
