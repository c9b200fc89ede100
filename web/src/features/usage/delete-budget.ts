import { AppError } from "@mission-control/shared/errors";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "../providers/database-write-error.ts";

/** Deletes a budget (owners, through RLS): calls in its scope are no longer capped by it. */
export async function deleteBudget(client: TBrowserClient, input: { projectId: string; id: string }): Promise<void> {
  const { data, error } = await client.from("budgets").delete().eq("id", input.id).eq("project_id", input.projectId).select("id");
  if (error) throw databaseWriteError(error, { what: "budgets", forbidden: "Only owners can delete budgets." });
  if ((data ?? []).length === 0) {
    throw new AppError("forbidden", { message: "Nothing was deleted: only owners can delete budgets (or it is already gone)." });
  }
}
