import { createExecutorClient, fireRuns, runSchedulerTick, type TSchedulerDeps } from "@mission-control/executor";
import pg from "pg";
import pino from "pino";
import { startSeparateBenchStack } from "./lib/bench-stack.ts";
import { ms, percentile, table } from "./lib/stats.ts";

/** Jobs scheduled, as the issue measures it. */
const JOBS = 10_000;
const IDLE_TICKS = 20;
const MINUTE = 60_000;

/**
 * The scheduler, as the issue measures it, with a fake clock so nothing waits for real minutes:
 * 10,000 `every 1m` jobs (each posts to the activity feed when it fires) on one executor.
 * 1. Overhead per tick: a tick when nothing is due (p50 / p95 over 20 ticks), and the first tick
 *    that computes every job's next run.
 * 2. Fire lag: the clock moves to the minute all 10,000 are due; for each occurrence, the time
 *    from the tick's start to its work being done (claimed and fired), p50 / p95 / max.
 */
async function main() {
  const stack = await startSeparateBenchStack("schedule-tick");
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 4 });
  try {
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.projects (name, slug) values ('Bench schedule', $1) returning id",
      [`bench-schedule-${Date.now()}`],
    );
    const projectId = rows[0]?.id as string;
    await sql.query(
      `insert into public.cron_mirror (project_id, name, schedule_kind, schedule_expr)
       select $1, 'Bench job ' || i, 'every', '1m' from generate_series(1, $2) i`,
      [projectId, JOBS],
    );
    const db = createExecutorClient(stack.SUPABASE_URL, stack.SUPABASE_SERVICE_ROLE_KEY);
    let now = Math.ceil(Date.now() / MINUTE) * MINUTE;
    let tickStart = 0;
    const lags: number[] = [];
    const deps: TSchedulerDeps = {
      db,
      executorId: "bench-scheduler",
      now: () => new Date(now),
      leaseSeconds: 60,
      graceSeconds: 120,
      projectIds: [projectId],
      batchSize: JOBS,
      log: pino({ level: "silent" }),
      fire: async (runs, at) => {
        const fired = await fireRuns(db, { executorId: "bench-scheduler", runIds: runs.map((r) => r.id), now: at });
        const lag = performance.now() - tickStart;
        for (const _ of fired) lags.push(lag);
        return fired;
      },
    };
    const timed = async () => {
      tickStart = performance.now();
      const report = await runSchedulerTick(deps);
      return { report, ms: performance.now() - tickStart };
    };

    const first = await timed();
    const idle: number[] = [];
    for (let i = 0; i < IDLE_TICKS; i++) {
      now += 1_000;
      idle.push((await timed()).ms);
    }
    now = Math.ceil(now / MINUTE) * MINUTE;
    const due = await timed();
    if (due.report.fired.length !== JOBS) throw new Error(`expected ${JOBS} occurrences to fire, got ${due.report.fired.length}`);

    process.stdout.write(
      `${table(
        ["measure", "p50", "p95", "max"],
        [
          [`first tick (${first.report.jobs} next runs computed)`, ms(first.ms), "", ""],
          [
            `idle tick, ${JOBS} jobs scheduled (${IDLE_TICKS} ticks)`,
            ms(percentile(idle, 50)),
            ms(percentile(idle, 95)),
            ms(Math.max(...idle)),
          ],
          [`due tick, ${JOBS} occurrences`, ms(due.ms), "", ""],
          ["fire lag (tick start -> fired)", ms(percentile(lags, 50)), ms(percentile(lags, 95)), ms(Math.max(...lags))],
        ],
      )}\n`,
    );
  } finally {
    await sql.end();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
