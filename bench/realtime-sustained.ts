import crypto from "node:crypto";
import { REALTIME_TABLES } from "@mission-control/shared/realtime";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { startSeparateBenchStack, type TSeparateBenchStack } from "./lib/bench-stack.ts";
import { signInBenchUser } from "./lib/sign-in-bench-user.ts";
import { ms, percentile, table } from "./lib/stats.ts";

/**
 * Sustained realtime load as the dashboard sees it, without a browser: a signed-in member
 * subscribes ONE channel with a postgres_changes binding per live table, each filtered by
 * `project_id=eq.<project>` (as web/src/features/live/subscribe-project.ts does; `projects` is
 * unfiltered), while `public.activities` (RLS: members read their project's feed) takes inserts,
 * each its own transaction through a plain `pg` connection as the superuser, at a fixed rate for
 * a fixed time. A second project's rows go in between (another member's feed), so the gateway's
 * filter and RLS checks have rows to reject. Prints commit -> received latency (the insert's
 * answer to the subscriber's callback, one clock) and how long after its commit the last row
 * arrived, then the same for a burst of transactions committed at once.
 */

/** Inserts per second and seconds of each sustained scenario. */
const RATES = [50, 200] as const;
const SECONDS = 10;
/** Transactions of the burst scenario, over this many connections. */
const BURST = 100;
const BURST_CONNECTIONS = 20;
/** Every this-many inserts, one goes to another project the subscriber may not see. */
const FOREIGN_EVERY = 10;
const DRAIN_TIMEOUT_MS = 60_000;
const RUN_LIMIT_MS = 300_000;

interface TResult {
  scenario: string;
  samples: number[];
  missing: number;
  lastLag: number;
  leaked: number;
}

/** The dashboard's bindings: every live table, filtered by the project (the project list itself is not). */
function dashboardBindings(projectId: string): Array<{ table: string; filter?: string }> {
  return REALTIME_TABLES.filter((t) => t.table !== "executor_presence").map((t) =>
    t.table === "projects" ? { table: t.table } : { table: t.table, filter: `project_id=eq.${projectId}` },
  );
}

async function createProject(sql: pg.Pool, memberId: string, label: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ($1, $2) returning id", [
    label,
    `bench-${crypto.randomUUID().slice(0, 8)}`,
  ]);
  const projectId = rows[0]?.id as string;
  await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'owner')", [projectId, memberId]);
  return projectId;
}

/** One insert, as bench/scale/seed-at-scale.ts's insertLiveActivity makes it, answering when it committed. */
async function insertActivity(db: pg.Pool | pg.Client, projectId: string, summary: string): Promise<number> {
  await db.query(
    "insert into public.activities (project_id, actor_type, actor, kind, summary) values ($1, 'system', 'seed', 'bench.live', $2)",
    [projectId, summary],
  );
  return performance.now();
}

async function subscribeLikeTheDashboard(
  client: SupabaseClient,
  projectId: string,
  onActivity: (summary: string, projectId: string) => void,
): Promise<RealtimeChannel> {
  const session = await client.auth.getSession();
  const token = session.data.session?.access_token;
  if (!token) throw new Error("the bench subscriber has no session: sign it in before subscribing");
  await client.realtime.setAuth(token);
  let channel = client.channel(`project:${projectId}:${crypto.randomUUID().slice(0, 8)}`);
  for (const binding of dashboardBindings(projectId)) {
    channel = channel.on("postgres_changes", { event: "*", schema: "public", ...binding }, (payload) => {
      if (payload.table !== "activities" || payload.eventType !== "INSERT") return;
      const row = payload.new as { summary: string; project_id: string };
      onActivity(row.summary, row.project_id);
    });
  }
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED") resolve();
      else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") reject(err ?? new Error(`subscribing failed: ${status}`));
    }),
  );
  return channel;
}

async function main(): Promise<void> {
  const guard = setTimeout(() => {
    console.error(`realtime-sustained: gave up after ${RUN_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, RUN_LIMIT_MS);
  guard.unref();
  const stack: TSeparateBenchStack = await startSeparateBenchStack("realtime-sustained");
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: BURST_CONNECTIONS });
  sql.on("error", () => {});
  try {
    const member = await signInBenchUser(stack, "member");
    const stranger = await signInBenchUser(stack, "stranger");
    const projectId = await createProject(sql, member.userId, "Sustained bench");
    const foreignId = await createProject(sql, stranger.userId, "Another team");

    const received = new Map<string, number>();
    let leaked = 0;
    await subscribeLikeTheDashboard(member.client, projectId, (summary, rowProject) => {
      if (rowProject !== projectId) leaked += 1;
      else received.set(summary, performance.now());
    });

    const db = new pg.Client({ connectionString: stack.DATABASE_URL });
    await db.connect();
    const waitFor = async (summaries: string[]) => {
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      while (summaries.some((s) => !received.has(s)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    const measure = (scenario: string, committed: Map<string, number>, last: string): TResult => {
      const samples: number[] = [];
      let missing = 0;
      for (const [summary, at] of committed) {
        const seen = received.get(summary);
        if (seen === undefined) missing += 1;
        else samples.push(Math.max(0, seen - at));
      }
      const lastSeen = received.get(last);
      const lastAt = committed.get(last) as number;
      return { scenario, samples, missing, lastLag: lastSeen === undefined ? Number.NaN : Math.max(0, lastSeen - lastAt), leaked };
    };

    // Warm-up: connections, relation metadata and the RLS statement's plan.
    const warm = new Map<string, number>();
    for (let i = 0; i < 20; i++) warm.set(`warm ${i}`, await insertActivity(db, projectId, `warm ${i}`));
    await waitFor([...warm.keys()]);

    const results: TResult[] = [];
    for (const rate of RATES) {
      const committed = new Map<string, number>();
      const total = rate * SECONDS;
      const started = performance.now();
      let last = "";
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (i % FOREIGN_EVERY === FOREIGN_EVERY - 1) await insertActivity(db, foreignId, `foreign ${rate}/s ${i}`);
        else {
          last = `${rate}/s entry ${i + 1}`;
          committed.set(last, await insertActivity(db, projectId, last));
        }
      }
      const behind = performance.now() - (started + (total * 1000) / rate);
      await waitFor([...committed.keys()]);
      results.push(measure(`${rate}/s for ${SECONDS} s (inserter ended ${ms(Math.max(0, behind))} late)`, committed, last));
    }

    // A burst: BURST transactions committed at once over BURST_CONNECTIONS connections.
    const burst = new Map<string, number>();
    await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const summary = `burst entry ${i + 1}`;
        burst.set(summary, await insertActivity(sql, projectId, summary));
      }),
    );
    await waitFor([...burst.keys()]);
    const lastOfBurst = [...burst.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    results.push(measure(`burst of ${BURST} transactions over ${BURST_CONNECTIONS} connections`, burst, lastOfBurst));
    await db.end();

    console.log(
      `\nRealtime under sustained inserts into public.activities: one signed-in subscriber, one channel with ${dashboardBindings(projectId).length} bindings, ${dashboardBindings(projectId).filter((b) => b.filter).length} filtered by project_id (as the dashboard), RLS on; every ${FOREIGN_EVERY}th insert is another project's\n`,
    );
    console.log(
      table(
        ["scenario", "received", "missing", "p50", "p95", "max", "last one after its commit", "other project's rows seen"],
        results.map((r) => [
          r.scenario,
          String(r.samples.length),
          String(r.missing),
          ms(percentile(r.samples, 50)),
          ms(percentile(r.samples, 95)),
          ms(Math.max(...r.samples)),
          ms(r.lastLag),
          String(r.leaked),
        ]),
      ),
    );
    await member.client.removeAllChannels();
  } finally {
    await sql.end();
    await stack.stop();
  }
  process.exit(0);
}

await main();
