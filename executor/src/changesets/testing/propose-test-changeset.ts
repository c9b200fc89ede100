import crypto from "node:crypto";
import { ZChangesetInput } from "@mission-control/shared/schemas";
import type pg from "pg";
import type { z } from "zod";
import { computeChangesetFiles, type TChangesetFileProposal } from "../compute-changeset-files.ts";

/** A changeset proposed for tests, with the run that proposed it and the rows sent to the database. */
export type TTestChangeset = { runId: string; changesetId: string; proposalId: string; files: TChangesetFileProposal[] };

/**
 * Proposes a changeset the way an implement run does: its files are computed against the
 * workspace (computeChangesetFiles), then, in one transaction so that no executor can claim the
 * run in between, an implement run of `agentKey` is queued, claimed by a stand-in executor and
 * proposes them (propose_run_changeset). The run waits in needs_approval on an apply_changeset
 * proposal over every path.
 */
export async function proposeTestChangeset(
  sql: pg.Pool,
  options: {
    projectId: string;
    workspaceDir: string;
    agentKey?: string;
    changeset: Omit<z.input<typeof ZChangesetInput>, "summary"> & { summary?: string };
  },
): Promise<TTestChangeset> {
  const input = ZChangesetInput.parse({ summary: "Change some files", ...options.changeset });
  const files = await computeChangesetFiles(options.workspaceDir, input);
  const executorId = `test-runs-${crypto.randomUUID().slice(0, 8)}`;
  const client = await sql.connect();
  try {
    await client.query("begin");
    const run = await client.query<{ id: string }>(
      "insert into public.ai_runs (project_id, agent_key, mode, origin, goal) values ($1, $2, 'implement', 'runs_page', $3) returning id",
      [options.projectId, options.agentKey ?? "builder", input.summary],
    );
    const runId = run.rows[0]?.id;
    if (!runId) throw new Error("the run was not inserted");
    await client.query("select public.claim_ai_runs($1, 1, 300, $2)", [executorId, runId]);
    const proposed = await client.query<{ ids: { changeset_id: string; proposal_id: string } }>(
      "select public.propose_run_changeset($1, $2, $3) as ids",
      [executorId, runId, JSON.stringify({ summary: input.summary, risk: input.risk, files })],
    );
    await client.query("commit");
    const ids = proposed.rows[0]?.ids;
    if (!ids) throw new Error("propose_run_changeset answered nothing");
    return { runId, changesetId: ids.changeset_id, proposalId: ids.proposal_id, files };
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
