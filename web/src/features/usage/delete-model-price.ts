import { AppError } from "@mission-control/shared/errors";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "../providers/database-write-error.ts";

/** Deletes a model's price (owners): its calls count tokens only from now on. */
export async function deleteModelPrice(client: TBrowserClient, input: { projectId: string; model: string }): Promise<void> {
  const { data, error } = await client
    .from("model_prices")
    .delete()
    .eq("project_id", input.projectId)
    .eq("model", input.model)
    .select("model");
  if (error) throw databaseWriteError(error, { what: "model prices", forbidden: "Only owners can delete model prices." });
  if ((data ?? []).length === 0) {
    throw new AppError("forbidden", { message: "Nothing was deleted: only owners can delete model prices (or it is already gone)." });
  }
}
