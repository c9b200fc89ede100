import crypto from "node:crypto";
import type { TAdminClient } from "../testing/admin-client.ts";

/** The executor id the fabricated runs are claimed under (no real executor ever holds it). */
const FAKE_EXECUTOR = "e2e-fake-executor";

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/** One file of a fabricated changeset: its content before (null: a new file) and after (null: deleted). */
export interface TTestChangesetFile {
  path: string;
  before: string | null;
  after: string | null;
  rationale?: string;
}

/** Calls an executor RPC with the service role, as the executor would. */
async function executorRpc(admin: TAdminClient, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const { data, error } = await admin.rpc(fn as never, args as never);
  if (error) throw new Error(`${fn} failed: ${error.message} ${error.hint ?? ""}`);
  return data;
}

/**
 * Makes an implement run that proposed a changeset, without the executor: the run is claimed by
 * a fake executor with a long lease, records a few events and proposes the files through the
 * executor's own RPCs (so the apply_changeset proposal and the run's status are the real ones).
 */
export async function proposeTestChangeset(
  admin: TAdminClient,
  input: { projectId: string; agentKey: string; taskId: string | null; goal: string; summary: string; files: TTestChangesetFile[] },
): Promise<{ runId: string; changesetId: string; proposalId: string }> {
  const inserted = await admin
    .from("ai_runs")
    .insert({
      project_id: input.projectId,
      agent_key: input.agentKey,
      mode: "implement",
      origin: "runs_page",
      goal: input.goal,
      task_id: input.taskId,
      participants: [input.agentKey],
    } as never)
    .select("id")
    .single();
  if (inserted.error) throw new Error(`could not insert the run: ${inserted.error.message}`);
  const runId = (inserted.data as { id: string }).id;
  await executorRpc(admin, "claim_ai_runs", { p_executor_id: FAKE_EXECUTOR, p_limit: 1, p_lease_seconds: 3600, p_run_id: runId });
  await executorRpc(admin, "record_ai_run_progress", {
    p_executor_id: FAKE_EXECUTOR,
    p_run_id: runId,
    p_events: input.files
      .filter((f) => f.before !== null)
      .map((f) => ({ kind: "read_file", summary: `Read ${f.path}`, data: { path: f.path, bytes: f.before?.length ?? 0 } })),
    p_progress: { current_step: "Writing the changeset", step_count: 2, input_tokens_delta: 1200, output_tokens_delta: 300 },
  });
  const answer = (await executorRpc(admin, "propose_run_changeset", {
    p_executor_id: FAKE_EXECUTOR,
    p_run_id: runId,
    p_changeset: {
      summary: input.summary,
      risk: "low",
      files: input.files.map((f) => ({
        path: f.path,
        change_kind: f.before === null ? "add" : f.after === null ? "delete" : "modify",
        base_sha256: f.before === null ? null : sha256(f.before),
        base_content: f.before,
        new_content: f.after,
        new_sha256: f.after === null ? null : sha256(f.after),
        unified_diff: "",
        rationale: f.rationale ?? "",
        risk_notes: "",
        additions: f.after === null ? 0 : f.after.split("\n").length,
        deletions: f.before === null ? 0 : f.before.split("\n").length,
      })),
    },
  })) as { changeset_id: string; proposal_id: string };
  return { runId, changesetId: answer.changeset_id, proposalId: answer.proposal_id };
}
