import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { startBenchExecutorProcess, type TBenchExecutorProcess } from "./lib/bench-executor.ts";
import { startSeparateBenchStack, type TSeparateBenchStack } from "./lib/bench-stack.ts";
import { cpuByProcess } from "./lib/cpu-by-process.ts";
import { signInBenchUser } from "./lib/sign-in-bench-user.ts";
import { ms, percentile, table } from "./lib/stats.ts";

/** Runs assigned at once in the latency part. */
const CONCURRENT_RUNS = 100;
/** How long the sustained part keeps CONCURRENT_RUNS runs in flight, and the first seconds it leaves out. */
const SUSTAINED_MS = 15_000;
const SUSTAINED_WARMUP_MS = 3_000;
/** Runs queued before the executors start, in the throughput part. */
const QUEUED_RUNS = 400;
const THROUGHPUT_EXECUTORS = 4;

/**
 * Agent runs, as the issue measures them, with the built-in model:
 * 1. 100 tasks assigned at the same moment by a signed-in operator; for each, the time from
 *    sending the assignment to a second signed-in client, subscribed to the project's task
 *    timeline, seeing the agent's first agent_update ("Started implementing: …").
 * 2. 4 executors running, then 400 runs queued at once (one transaction): runs started per second
 *    (claimed, running) until none is left queued, and runs finished per second.
 */
async function main() {
  const profile = process.argv.includes("--profile");
  const burstOnly = process.argv.includes("--burst-only");
  const stack = await startSeparateBenchStack("run-pickup", { pgStats: profile });
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 4 });
  const executors: TBenchExecutorProcess[] = [];
  try {
    const operator = await signInBenchUser(stack, "operator");
    const watcher = await signInBenchUser(stack, "watcher");
    const projectId = await createProject(sql, [operator.userId, watcher.userId]);

    // 1. Latency: 100 concurrent assignments, one executor that may work them all at once.
    executors.push(await startBenchExecutor(stack, "bench-runs-latency", 100));
    const firstUpdate = new Map<string, (at: number) => void>();
    /** The claim transaction's commit time (the change's commit_timestamp, epoch ms) of each task's first agent_update. */
    const claimCommitted = new Map<string, number>();
    /** Resolves when the run of a task leaves queued / running (completed, waiting for approval, failed). */
    const runSettled = new Map<string, () => void>();
    const channel = watcher.client
      .channel("bench-run-updates")
      .on(
        "postgres_changes",
        { event: "INSERT", schema: "public", table: "task_events", filter: `project_id=eq.${projectId}` },
        (payload) => {
          const row = payload.new as { task_id: string; kind: string };
          if (row.kind !== "agent_update" || !firstUpdate.has(row.task_id)) return;
          claimCommitted.set(row.task_id, Date.parse(payload.commit_timestamp));
          firstUpdate.get(row.task_id)?.(performance.now());
        },
      )
      .on("postgres_changes", { event: "UPDATE", schema: "public", table: "ai_runs", filter: `project_id=eq.${projectId}` }, (payload) => {
        const run = payload.new as { task_id: string | null; status: string };
        if (run.task_id && run.status !== "queued" && run.status !== "running") runSettled.get(run.task_id)?.();
      });
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(new Error("subscribe failed")) : undefined,
      ),
    );
    const insertTimes: number[] = [];
    const fromCommit: number[] = [];
    const alone: number[] = [];
    /** Wall-clock (epoch ms) of each measured task's commit and first sight, for the step breakdown. */
    const wall = new Map<string, { committed: number; seen: number }>();
    const wallAlone = new Map<string, { committed: number; seen: number }>();
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
      else alone.push(Math.max(0, t1 - committed));
      (i >= 0 ? wall : wallAlone).set(taskId, { committed: performance.timeOrigin + committed, seen: performance.timeOrigin + t1 });
      return t1 - t0;
    };
    // Warm-up, not measured: a few one at a time, then one burst, so the measured burst meets the
    // connections and caches a stack that has been working has (the first burst on a fresh stack
    // also opens connections: a new backend's first call of each function costs 10-17 ms).
    for (let i = 0; i < 10; i++) await assign(-i - 1);
    await Promise.all(Array.from({ length: CONCURRENT_RUNS }, (_, i) => assign(-1_000 - i)));
    await waitForRunsSettled(sql, projectId);
    // Then one at a time, measured: the latency of a lone assignment on a quiet system.
    alone.length = 0;
    wallAlone.clear();
    for (let i = 0; i < 30; i++) await assign(-i - 11);
    await waitForRunsSettled(sql, projectId);
    if (profile) {
      await sql.query("create extension if not exists pg_stat_statements");
      await sql.query("select pg_stat_statements_reset(), pg_stat_reset()");
    }
    const cpuBefore = cpuByProcess();
    const burstStart = performance.now();
    const latencies = await Promise.all(Array.from({ length: CONCURRENT_RUNS }, (_, i) => assign(i)));
    const cpuDuring = cpuByProcess(cpuBefore);
    const burstSeconds = (performance.now() - burstStart) / 1000;
    await waitForRunsSettled(sql, projectId);
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
          [
            "one assignment at a time (30): committed -> seen",
            ms(percentile(alone, 50)),
            ms(percentile(alone, 95)),
            ms(Math.max(...alone)),
          ],
        ],
      )}\n`,
    );
    process.stdout.write(
      `goal: committed -> seen p95 <= 100 ms -> ${percentile(fromCommit, 95) <= 100 ? "met" : "NOT met"} (the sent -> seen row also counts the 100 REST writes queueing in the gateway)\n`,
    );
    await printSteps(sql, wall, claimCommitted, `the same ${CONCURRENT_RUNS} tasks`);
    await printSteps(sql, wallAlone, claimCommitted, "the tasks assigned one at a time");
    process.stdout.write(
      `CPU used in the ${burstSeconds.toFixed(2)} s the 100 assignments took to be sent and seen (seconds, by process; 2 cores give ${(2 * burstSeconds).toFixed(2)}): ${[
        ...cpuDuring.entries(),
      ]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 6)
        .map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`)
        .join(", ")}\n`,
    );
    if (profile) await printDatabaseProfile(sql);
    if (burstOnly) return;

    // 1b. Sustained: CONCURRENT_RUNS runs in flight at all times. Each of CONCURRENT_RUNS operators
    // (started 10 ms apart) assigns a task, and when its run has settled assigns the next one.
    const sustained: number[] = [];
    const inFlight: number[] = [];
    const sustainedStart = performance.now();
    const sustainedEnd = sustainedStart + SUSTAINED_MS;
    let sustainedAssigned = 0;
    const keepOneInFlight = async (k: number) => {
      await new Promise((resolve) => setTimeout(resolve, k * 10));
      while (performance.now() < sustainedEnd) {
        const taskId = crypto.randomUUID();
        const settled = new Promise<void>((resolve) => runSettled.set(taskId, resolve));
        const seen = new Promise<number>((resolve) => firstUpdate.set(taskId, resolve));
        const { error } = await operator.client
          .from("tasks")
          .insert({ id: taskId, project_id: projectId, title: `Sustained task ${k}`, assignee_agent_key: "builder", status: "assigned" });
        if (error) throw new Error(`assigning a sustained task failed: ${error.message}`);
        const committed = performance.now();
        sustainedAssigned += 1;
        const timeout = (what: string) =>
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} for sustained task ${taskId}`)), 30_000));
        const t1 = await Promise.race([seen, timeout("agent_update")]);
        if (committed - sustainedStart >= SUSTAINED_WARMUP_MS) sustained.push(Math.max(0, t1 - committed));
        await Promise.race([settled, timeout("settled run")]);
        firstUpdate.delete(taskId);
        runSettled.delete(taskId);
      }
    };
    const sampling = (async () => {
      while (performance.now() < sustainedEnd) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { rows } = await sql.query<{ n: number }>(
          "select count(*)::int as n from public.ai_runs where project_id = $1 and status in ('queued', 'running')",
          [projectId],
        );
        if (performance.now() - sustainedStart >= SUSTAINED_WARMUP_MS) inFlight.push(rows[0]?.n ?? 0);
      }
    })();
    await Promise.all([...Array.from({ length: CONCURRENT_RUNS }, (_, k) => keepOneInFlight(k)), sampling]);
    await waitForRunsSettled(sql, projectId);
    await watcher.client.removeChannel(channel);
    const measuredSeconds = (SUSTAINED_MS - SUSTAINED_WARMUP_MS) / 1000;
    process.stdout.write(
      `\nSustained: ${CONCURRENT_RUNS} runs in flight for ${SUSTAINED_MS / 1000} s (each of ${CONCURRENT_RUNS} operators assigns the next task when its run has settled; the first ${SUSTAINED_WARMUP_MS / 1000} s left out)\n${table(
        ["assignments measured", "assignments /s", "runs queued or running (p50 / min of samples)", "committed -> seen p50", "p95", "max"],
        [
          [
            String(sustained.length),
            (sustained.length / measuredSeconds).toFixed(0),
            `${percentile(inFlight, 50)} / ${Math.min(...inFlight)}`,
            ms(percentile(sustained, 50)),
            ms(percentile(sustained, 95)),
            ms(Math.max(...sustained)),
          ],
        ],
      )}\n`,
    );
    process.stdout.write(
      `goal (sustained, ${CONCURRENT_RUNS} concurrent runs): committed -> seen p95 <= 100 ms -> ${percentile(sustained, 95) <= 100 ? "met" : "NOT met"}; ${sustainedAssigned} assignments in all\n`,
    );
    await executors.pop()?.stop();

    // 2. Throughput: 4 executors (each in its own process, started and ready first: a process's
    // start is not the executors' speed), then a backlog of 400 runs queued in one transaction.
    executors.push(
      ...(await Promise.all(Array.from({ length: THROUGHPUT_EXECUTORS }, (_, i) => startBenchExecutor(stack, `bench-runs-${i}`, 16)))),
    );
    await sql.query(
      `insert into public.tasks (project_id, title, assignee_agent_key, status)
       select $1, 'Backlog task ' || n, 'builder', 'assigned' from generate_series(1, $2) n`,
      [projectId, QUEUED_RUNS],
    );
    const started = performance.now();
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
      `\n${QUEUED_RUNS} runs queued at once for ${THROUGHPUT_EXECUTORS} executors (16 runs each at a time), built-in model\n${table(
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

/** An executor in its own process, as deployed: its runs' work does not share the measuring clients' event loop. */
function startBenchExecutor(stack: TSeparateBenchStack, id: string, concurrency: number): Promise<TBenchExecutorProcess> {
  return startBenchExecutorProcess({
    SUPABASE_URL: stack.SUPABASE_URL,
    SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
    CONTROL_API_PORT: "0",
    EXECUTOR_ID: id,
    RUN_CONCURRENCY: String(concurrency),
    LOG_LEVEL: "warn",
  });
}

/**
 * Where the time goes, from the database's own clocks (same machine): the assignment's transaction
 * start (the run's created_at), the claim's transaction start (the agent_update's created_at), and
 * the client's commit and sight times.
 */
async function printSteps(
  sql: pg.Pool,
  wall: Map<string, { committed: number; seen: number }>,
  claimCommitted: Map<string, number>,
  which: string,
): Promise<void> {
  const { rows } = await sql.query<{ task_id: string; queued: string; claimed: string }>(
    `select r.task_id,
            (extract(epoch from r.created_at) * 1000)::float8 as queued,
            (extract(epoch from min(e.created_at)) * 1000)::float8 as claimed
     from public.ai_runs r
     join public.task_events e on e.task_id = r.task_id and e.kind = 'agent_update'
     where r.task_id = any ($1::uuid[])
     group by r.task_id, r.created_at`,
    [[...wall.keys()]],
  );
  const toClaim: number[] = [];
  const claimToSeen: number[] = [];
  const commitToClaim: number[] = [];
  const claimDuration: number[] = [];
  const realtime: number[] = [];
  for (const row of rows) {
    const w = wall.get(row.task_id);
    if (!w) continue;
    toClaim.push(Number(row.claimed) - Number(row.queued));
    commitToClaim.push(Math.max(0, Number(row.claimed) - w.committed));
    claimToSeen.push(w.seen - Number(row.claimed));
    const committedAt = claimCommitted.get(row.task_id);
    if (committedAt !== undefined) {
      claimDuration.push(committedAt - Number(row.claimed));
      realtime.push(w.seen - committedAt);
    }
  }
  const line = (name: string, values: number[]) => [name, ms(percentile(values, 50)), ms(percentile(values, 95)), ms(Math.max(...values))];
  process.stdout.write(
    `\nSteps of ${which} (database clocks)\n${table(
      ["step", "p50", "p95", "max"],
      [
        line("assignment transaction start -> claim transaction start", toClaim),
        line("assignment committed (client) -> claim transaction start", commitToClaim),
        line("claim transaction start -> agent_update seen (client)", claimToSeen),
        line("  of which: claim transaction start -> its commit", claimDuration),
        line("  of which: claim committed -> seen (realtime)", realtime),
      ],
    )}\n`,
  );
}

/**
 * With --profile: where the database spent the burst (assignments, claims and the runs' work until
 * they settled): statements and functions by total time, nested ones included. Times are wall
 * clock inside Postgres, so waiting for a CPU or a lock counts.
 */
async function printDatabaseProfile(sql: pg.Pool): Promise<void> {
  const statements = await sql.query<{ calls: string; total: number; mean: number; query: string }>(
    `select calls, total_exec_time as total, mean_exec_time as mean, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
     from pg_stat_statements order by total_exec_time desc limit 20`,
  );
  const functions = await sql.query<{ name: string; calls: string; total: number; self: number }>(
    `select funcname as name, calls, total_time as total, self_time as self
     from pg_stat_user_functions order by total_time desc limit 20`,
  );
  process.stdout.write(
    `\nDatabase profile of the burst: statements by total time\n${table(
      ["calls", "total", "mean", "statement"],
      statements.rows.map((r) => [r.calls, ms(r.total), ms(r.mean), r.query]),
    )}\n\nFunctions by total time (self: without the functions they call)\n${table(
      ["function", "calls", "total", "self"],
      functions.rows.map((r) => [r.name, r.calls, ms(r.total), ms(r.self)]),
    )}\n`,
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
