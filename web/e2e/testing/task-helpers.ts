import type { Locator, Page } from "@playwright/test";
import type { TAdminClient } from "./admin-client.ts";

/** Creates a task through the service role (as a test fixture, not as a user). */
export async function insertTask(
  admin: TAdminClient,
  projectId: string,
  fields: { title: string; status?: string; assignee_agent_key?: string | null; position?: number; description?: string },
): Promise<string> {
  const row = await admin
    .from("tasks")
    .insert({ project_id: projectId, ...fields })
    .select("id")
    .single();
  if (row.error) throw new Error(`could not insert the task: ${row.error.message}`);
  return row.data.id;
}

/** Reads a task's status and position. */
export async function readTask(
  admin: TAdminClient,
  taskId: string,
): Promise<{ status: string; position: number; assignee_agent_key: string | null }> {
  const row = await admin.from("tasks").select("status, position, assignee_agent_key").eq("id", taskId).single();
  if (row.error) throw new Error(`could not read the task: ${row.error.message}`);
  return row.data;
}

/** A proposal as an agent makes it (the executor inserts it with the service role). */
export interface TProposalFixture {
  action_type: "file_write" | "send_message" | "create_task" | "api_call" | "edit_doc" | "schedule_job";
  params: Record<string, unknown>;
  proposed_by_agent_key: string;
  summary?: string;
  risk?: "low" | "medium" | "high";
  reversibility?: "reversible" | "partial" | "irreversible";
  blast_radius?: string;
  rollback_plan?: string;
  task_id?: string | null;
  thread_id?: string | null;
  revision_of?: string | null;
  expires_at?: string;
}

/** Inserts a proposal as the agent would; the database announces it in the task thread. */
export async function proposeAction(admin: TAdminClient, projectId: string, proposal: TProposalFixture): Promise<string> {
  const row = await admin
    .from("action_proposals")
    .insert({ project_id: projectId, risk: "medium", reversibility: "reversible", ...proposal } as never)
    .select("id")
    .single();
  if (row.error) throw new Error(`could not insert the proposal: ${row.error.message}`);
  return (row.data as { id: string }).id;
}

/** Reads a proposal's decision fields. */
export async function readProposal(
  admin: TAdminClient,
  proposalId: string,
): Promise<{
  status: string;
  resolved_by: string | null;
  resolution_comment: string | null;
  params: Record<string, unknown>;
  approved_params_hash: string | null;
}> {
  const row = await admin
    .from("action_proposals")
    .select("status, resolved_by, resolution_comment, params, approved_params_hash")
    .eq("id", proposalId)
    .single();
  if (row.error) throw new Error(`could not read the proposal: ${row.error.message}`);
  return row.data as never;
}

/** A kanban column on the Tasks page. */
export function boardColumn(page: Page, label: string): Locator {
  return page.getByRole("region", { name: `${label} column` });
}

/** A card on the board, by title. */
export function boardCard(page: Page, title: string): Locator {
  return page.getByTestId("task-card").filter({ hasText: title });
}

/** The approval card of a proposal. */
export function approvalCard(page: Page, proposalId: string): Locator {
  return page.locator(`[data-testid="approval-card"][data-proposal-id="${proposalId}"]`);
}
