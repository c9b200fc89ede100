import crypto from "node:crypto";
import { parseExecutorEnv, startExecutor, type TExecutor } from "@mission-control/executor";
import pg from "pg";
import pino from "pino";
import { startSeparateBenchStack, type TSeparateBenchStack } from "./lib/bench-stack.ts";
import { signInBenchUser } from "./lib/sign-in-bench-user.ts";
import { ms, percentile, table } from "./lib/stats.ts";

/** Runs assigned at once in the latency part. */
const CONCURRENT_RUNS = 100;
/** Runs queued before the executors start, in the throughput part. */
const QUEUED_RUNS = 400;
const THROUGHPUT_EXECUTORS = 4;

/**
 * Agent runs, as the issue measures them, with the built-in model:
 * 1. 100 tasks assigned at the same moment by a signed-in operator; for each, the time from
 *    sending the assignment to a second signed-in client, subscribed to the project's task
 *    timeline, seeing the agent's first agent_update ("Started implementing: …").
 * 2. 400 runs queued while no executor runs, then 4 executors started at once: runs started per
 *    second (claimed, running) until none is left queued, and runs finished per second.
 */
async function main() {
  const stack = await startSeparateBenchStack("run-pickup");
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 4 });
  const executors: TExecutor[] = [];
  try {
    const operator = await signInBenchUser(stack, "operator");
    const watcher = await signInBenchUser(stack, "watcher");
    const projectId = await createProject(sql, [operator.userId, watcher.userId]);

    // 1. Latency: 100 concurrent assignments, one executor that may work them all at once.
    executors.push(await startBenchExecutor(stack, "bench-runs-latency", 100));
    const firstUpdate = new Map<string, (at: number) => void>();
    const channel = watcher.client
      .channel("bench-run-updates")
      .on(
        "postgres_changes",
        { event: "INSERT", schema: "public", table: "task_events", filter: `project_id=eq.${projectId}` },
        (payload) => {
          const row = payload.new as { task_id: string; kind: string };
          if (row.kind === "agent_update") firstUpdate.get(row.task_id)?.(performance.now());
        },
      );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(new Error("subscribe failed")) : undefined,
      ),
    );
    const insertTimes: number[] = [];
    const fromCommit: number[] = [];
    const assign = async (i: number): Promise<number> => {
      const taskId = crypto.randomUUID();
      const seen = new Promise<number>((resolve) => firstUpdate.set(taskId, resolve));
      const t0 = performance.now();
      const { error } = await operator.client
        .from("tasks")
        .insert({ id: taskId, project_id: projectId, title: `Bench task ${i}`, assignee_agent_key: "builder", status: "assigned" });
      if (error) throw new Error(`assigning task ${i} failed: ${error.message}`);
      const committed = performance.now();
      if (i >= 0) insertTimes.push(committed - t0);
      const t1 = await Promise.race([
        seen,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no agent_update for task ${i}`)), 30_000)),
      ]);
      firstUpdate.delete(taskId);
      // The update can arrive before the insert's answer: it then counts as 0 after the commit.
      if (i >= 0) fromCommit.push(Math.max(0, t1 - committed));
      return t1 - t0;
    };
    // A few one at a time first: connections and caches warm up.
    for (let i = 0; i < 10; i++) await assign(-i - 1);
    await waitForRunsSettled(sql, projectId);
    const latencies = await Promise.all(Array.from({ length: CONCURRENT_RUNS }, (_, i) => assign(i)));
    await waitForRunsSettled(sql, projectId);
    await watcher.client.removeChannel(channel);
    process.stdout.write(
      `\nAssignment -> first agent_update seen by a subscribed client, ${CONCURRENT_RUNS} tasks assigned at once (1 executor, RUN_CONCURRENCY=100)\n${table(
        ["step", "p50", "p95", "max"],
        [
          [
            "the assignment (REST insert, operator)",
            ms(percentile(insertTimes, 50)),
            ms(percentile(insertTimes, 95)),
            ms(Math.max(...insertTimes)),
          ],
          [
            "assignment sent -> first agent_update seen",
            ms(percentile(latencies, 50)),
            ms(percentile(latencies, 95)),
            ms(Math.max(...latencies)),
          ],
          [
            "assignment committed -> first agent_update seen",
            ms(percentile(fromCommit, 50)),
            ms(percentile(fromCommit, 95)),
            ms(Math.max(...fromCommit)),
          ],
        ],
      )}\n`,
    );
    process.stdout.write(
      `goal: committed -> seen p95 <= 100 ms -> ${percentile(fromCommit, 95) <= 100 ? "met" : "NOT met"} (the sent -> seen row also counts the 100 REST writes queueing in the gateway)\n`,
    );
    await executors.pop()?.stop();

    // 2. Throughput: a backlog of queued runs, then 4 executors at once.
    await sql.query(
      `insert into public.tasks (project_id, title, assignee_agent_key, status)
       select $1, 'Backlog task ' || n, 'builder', 'assigned' from generate_series(1, $2) n`,
      [projectId, QUEUED_RUNS],
    );
    const started = performance.now();
    executors.push(
      ...(await Promise.all(Array.from({ length: THROUGHPUT_EXECUTORS }, (_, i) => startBenchExecutor(stack, `bench-runs-${i}`, 16)))),
    );
    let allStartedAt = 0;
    for (;;) {
      const { rows } = await sql.query<{ queued: number; active: number }>(
        `select count(*) filter (where status = 'queued')::int as queued,
                count(*) filter (where status in ('queued', 'running'))::int as active
         from public.ai_runs where project_id = $1`,
        [projectId],
      );
      const counts = rows[0] ?? { queued: 0, active: 0 };
      if (counts.queued === 0 && allStartedAt === 0) allStartedAt = performance.now();
      if (counts.active === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const allDoneAt = performance.now();
    const startSeconds = (allStartedAt - started) / 1000;
    const doneSeconds = (allDoneAt - started) / 1000;
    process.stdout.write(
      `\n${QUEUED_RUNS} queued runs, ${THROUGHPUT_EXECUTORS} executors started at once (16 runs each at a time), built-in model\n${table(
        ["all started after", "runs started /s", "all finished after", "runs finished /s"],
        [
          [
            `${startSeconds.toFixed(2)} s`,
            (QUEUED_RUNS / startSeconds).toFixed(0),
            `${doneSeconds.toFixed(2)} s`,
            (QUEUED_RUNS / doneSeconds).toFixed(0),
          ],
        ],
      )}\n`,
    );
    const { rows: claimed } = await sql.query<{ claimed_by: string; runs: number }>(
      "select claimed_by, count(*)::int as runs from public.ai_runs where project_id = $1 and goal like 'Backlog task%' group by claimed_by order by claimed_by",
      [projectId],
    );
    process.stdout.write(`runs per executor: ${claimed.map((r) => `${r.claimed_by} ${r.runs}`).join(", ")}\n`);
    for (const c of [operator.client, watcher.client]) c.realtime.disconnect();
  } finally {
    await Promise.all(executors.map((executor) => executor.stop()));
    await sql.end();
    await stack.stop();
  }
}

async function createProject(sql: pg.Pool, [operatorId, watcherId]: string[]): Promise<string> {
  const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Bench runs', $1) returning id", [
    `bench-${crypto.randomUUID().slice(0, 8)}`,
  ]);
  const projectId = rows[0]?.id as string;
  await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'operator'), ($1, $3, 'viewer')", [
    projectId,
    operatorId,
    watcherId,
  ]);
  await sql.query(
    `insert into public.agents (project_id, agent_key, display_name, system_prompt, tools_enabled)
     values ($1, 'builder', 'Builder', 'You build.', '{read_file,list_files,search_text,read_task,list_tasks,apply_changeset}')`,
    [projectId],
  );
  return projectId;
}

function startBenchExecutor(stack: TSeparateBenchStack, id: string, concurrency: number): Promise<TExecutor> {
  return startExecutor(
    parseExecutorEnv({
      SUPABASE_URL: stack.SUPABASE_URL,
      SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
      CONTROL_API_PORT: "0",
      EXECUTOR_ID: id,
      RUN_CONCURRENCY: String(concurrency),
      LOG_LEVEL: "warn",
    }),
    { log: pino({ level: "warn" }) },
  );
}

/** Waits until no run of the project is queued or running. */
async function waitForRunsSettled(sql: pg.Pool, projectId: string): Promise<void> {
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(
      "select count(*)::int as n from public.ai_runs where project_id = $1 and status in ('queued', 'running')",
      [projectId],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`run-pickup benchmark failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
