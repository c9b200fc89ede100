import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseExecutorEnv, startExecutor } from "@mission-control/executor";
import { createControlApiClient } from "@mission-control/shared/control-api";
import pg from "pg";
import pino from "pino";
import { startSeparateBenchStack } from "./lib/bench-stack.ts";
import { benchEnv } from "./lib/env.ts";
import { signInBenchUser } from "./lib/sign-in-bench-user.ts";
import { ms, percentile, table } from "./lib/stats.ts";

const APPROVALS = benchEnv.BENCH_APPROVALS;
const WARMUP = 10;

/**
 * Approval round trip as the dashboard sees it: an agent's edit_doc proposal waits in a task
 * thread; a signed-in operator approves it with resolve_action_proposal; the executor (realtime
 * wake-ups, built-in model answering the outcome notices) claims it, edits the doc and records
 * the outcome; a second signed-in client subscribed to the project's task_events sees the
 * "executed" approval_resolved event arrive. One approval at a time, first with the executor woken
 * by realtime only (Backup-like), then with the dashboard's Live-mode call to the Control API.
 */
async function main() {
  const stack = await startSeparateBenchStack("approval-roundtrip");
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 2 });
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-bench-approvals-"));
  const executor = { stop: async () => {} } as { stop: () => Promise<unknown> };
  try {
    const operator = await signInBenchUser(stack, "operator");
    const watcher = await signInBenchUser(stack, "watcher");
    const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Bench', $1) returning id", [
      `bench-${crypto.randomUUID().slice(0, 8)}`,
    ]);
    const projectId = rows[0]?.id as string;
    await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'operator'), ($1, $3, 'viewer')", [
      projectId,
      operator.userId,
      watcher.userId,
    ]);
    await sql.query("insert into public.agents (project_id, agent_key, display_name) values ($1, 'builder', 'Builder')", [projectId]);
    const task = await sql.query<{ id: string }>(
      "insert into public.tasks (project_id, title) values ($1, 'Keep the runbook current') returning id",
      [projectId],
    );
    const taskId = task.rows[0]?.id as string;

    const started = await startExecutor(
      parseExecutorEnv({
        SUPABASE_URL: stack.SUPABASE_URL,
        SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
        CONTROL_API_PORT: "0",
        EXECUTOR_ID: "bench-approvals",
        WORKSPACE_DIR: workspace,
        LOG_LEVEL: "warn",
      }),
      { log: pino({ level: "warn" }) },
    );
    executor.stop = () => started.stop();

    const waiting = new Map<string, (at: number) => void>();
    const channel = watcher.client
      .channel("bench-approvals")
      .on(
        "postgres_changes",
        { event: "INSERT", schema: "public", table: "task_events", filter: `project_id=eq.${projectId}` },
        (payload) => {
          const row = payload.new as { kind: string; proposal_id: string | null; metadata: { status?: string } };
          if (row.kind === "approval_resolved" && row.metadata.status === "executed" && row.proposal_id) {
            waiting.get(row.proposal_id)?.(performance.now());
          }
        },
      );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(new Error("subscribe failed")) : undefined,
      ),
    );

    const token = (await operator.client.auth.getSession()).data.session?.access_token;
    if (!token) throw new Error("the operator has no session");
    const controlApi = createControlApiClient({ baseUrl: started.controlApiUrl });

    /** Approves APPROVALS proposals one after another; `live` also calls the Control API, as the dashboard does in Live mode. */
    const measure = async (live: boolean) => {
      const total: number[] = [];
      const approve: number[] = [];
      for (let i = 0; i < APPROVALS + WARMUP; i++) {
        const { rows: proposal } = await sql.query<{ id: string }>(
          `insert into public.action_proposals (project_id, action_type, params, summary, risk, reversibility, proposed_by_agent_key, task_id)
           values ($1, 'edit_doc', $2, 'Update the runbook', 'low', 'reversible', 'builder', $3) returning id`,
          [
            projectId,
            JSON.stringify({ doc_type: "runbook", title: "Runbook", content: `Runbook revision ${live ? "live" : "hint"} ${i}` }),
            taskId,
          ],
        );
        const proposalId = proposal[0]?.id as string;
        const executed = new Promise<number>((resolve) => waiting.set(proposalId, resolve));
        const t0 = performance.now();
        const { error } = await operator.client.rpc("resolve_action_proposal", { p_proposal_id: proposalId, p_decision: "approve" });
        if (error) throw new Error(`resolve_action_proposal failed: ${error.message}`);
        const t1 = performance.now();
        if (live) await controlApi.executeApproval({ accessToken: token, proposalId });
        const t2 = await Promise.race([
          executed,
          new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`approval ${i} was not executed within 10 s`)), 10_000)),
        ]);
        waiting.delete(proposalId);
        // The first ones warm up connections and caches.
        if (i >= WARMUP) {
          total.push(t2 - t0);
          approve.push(t1 - t0);
        }
      }
      return { total, approve };
    };
    const hint = await measure(false);
    const live = await measure(true);
    await watcher.client.removeChannel(channel);
    const row = (label: string, samples: number[]) => [
      label,
      ms(percentile(samples, 50)),
      ms(percentile(samples, 95)),
      ms(Math.max(...samples)),
    ];
    const rowsOut = [
      row("resolve_action_proposal RPC (operator)", hint.approve),
      row("approve -> executed event seen (realtime wake-up only)", hint.total),
      row("approve + POST /api/approvals/:id/execute -> executed event seen", live.total),
    ];
    process.stdout.write(
      `\nApproval round trip (edit_doc, built-in model answering the outcome notices), ${APPROVALS} approvals one after another per row\n${table(["step", "p50", "p95", "max"], rowsOut)}\n`,
    );
    for (const c of [operator.client, watcher.client]) c.realtime.disconnect();
  } finally {
    await executor.stop();
    await sql.end();
    await stack.stop();
    await fs.rm(workspace, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`approval-roundtrip benchmark failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
