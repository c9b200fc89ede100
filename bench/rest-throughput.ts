import crypto from "node:crypto";
import http from "node:http";
import { SignJWT } from "jose";
import pg from "pg";
import { startBenchStackProcess } from "./lib/bench-stack.ts";
import { benchEnv } from "./lib/env.ts";
import { ms, percentile, table } from "./lib/stats.ts";

const CONCURRENCY = 16;
const DURATION_MS = benchEnv.BENCH_DURATION_MS;
const ROWS = 10_000;
const WARMUP_MS = 1000;

interface TResult {
  name: string;
  requests: number;
  latencies: number[];
  elapsedMs: number;
}

/** Drives `worker` from CONCURRENCY loops: one unmeasured warm-up second (JIT, caches, pools), then DURATION_MS measured. */
async function runFor(name: string, worker: (id: number) => Promise<void>): Promise<TResult> {
  const drive = async (durationMs: number, latencies: number[] | null) => {
    const deadline = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const id = 1 + Math.floor(Math.random() * ROWS);
          const t0 = performance.now();
          await worker(id);
          latencies?.push(performance.now() - t0);
        }
      }),
    );
  };
  await drive(WARMUP_MS, null);
  const latencies: number[] = [];
  const started = performance.now();
  await drive(DURATION_MS, latencies);
  return { name, requests: latencies.length, latencies, elapsedMs: performance.now() - started };
}

function get(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** REST: primary-key select under RLS through the gateway vs the same query with `pg` directly. */
async function main() {
  const { info, stop } = await startBenchStackProcess("rest");
  const stack = {
    SUPABASE_URL: info.url,
    SUPABASE_ANON_KEY: info.anonKey,
    SUPABASE_JWT_SECRET: info.jwtSecret,
    DATABASE_URL: info.databaseUrl,
  };
  const admin = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 2 });
  try {
    const userId = crypto.randomUUID();
    await admin.query("insert into auth.users (id, email) values ($1, $2)", [userId, `bench-${userId.slice(0, 8)}@bench.invalid`]);
    await admin.query(`
      create table public.bench_items (id bigint primary key, owner uuid not null, title text not null, payload jsonb not null default '{}');
      alter table public.bench_items enable row level security;
      create policy "Owners can read their bench items" on public.bench_items for select to authenticated using (owner = (select auth.uid()));
    `);
    await admin.query(
      "insert into public.bench_items (id, owner, title, payload) select g, $1, 'item ' || g, jsonb_build_object('n', g) from generate_series(1, $2) g",
      [userId, ROWS],
    );
    await admin.query("analyze public.bench_items");

    const claims = { role: "authenticated", sub: userId, aud: "authenticated" };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(stack.SUPABASE_JWT_SECRET));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const headers = { apikey: stack.SUPABASE_ANON_KEY, authorization: `Bearer ${token}`, accept: "application/vnd.pgrst.object+json" };
    // The gateway reloads its schema cache on the DDL's NOTIFY; wait until it sees the table.
    let probe = 0;
    for (let i = 0; i < 100 && probe !== 200; i++) {
      probe = await get(agent, new URL(`${stack.SUPABASE_URL}/rest/v1/bench_items?select=*&id=eq.1`), headers);
      if (probe !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    if (probe !== 200) throw new Error(`the gateway answered ${probe} to the benchmark query`);

    const gateway = await runFor("gateway /rest/v1 (RLS, pk select)", async (id) => {
      const status = await get(agent, new URL(`${stack.SUPABASE_URL}/rest/v1/bench_items?select=*&id=eq.${id}`), headers);
      if (status !== 200) throw new Error(`status ${status}`);
    });

    const pgUrl = new URL(stack.DATABASE_URL);
    const direct = new pg.Pool({
      host: pgUrl.hostname,
      port: Number(pgUrl.port),
      user: "authenticator",
      password: "authenticator",
      database: "postgres",
      max: CONCURRENCY,
    });
    const claimsJson = JSON.stringify(claims);
    const directRls = await runFor("pg direct (same RLS transaction)", async (id) => {
      const c = await direct.connect();
      try {
        await c.query("begin");
        await c.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [claimsJson]);
        await c.query("select * from public.bench_items where id = $1", [id]);
        await c.query("commit");
      } finally {
        c.release();
      }
    });
    // The cheapest way to ask the same RLS question directly: role and claims set once per session.
    const sessionPool = new pg.Pool({
      host: pgUrl.hostname,
      port: Number(pgUrl.port),
      user: "authenticator",
      password: "authenticator",
      database: "postgres",
      max: CONCURRENCY,
      options: `-c role=authenticated -c request.jwt.claims=${claimsJson}`,
    });
    const directSession = await runFor("pg direct (RLS, role set per session)", async (id) => {
      await sessionPool.query("select * from public.bench_items where id = $1", [id]);
    });
    const superPool = new pg.Pool({ connectionString: stack.DATABASE_URL, max: CONCURRENCY });
    const directPlain = await runFor("pg direct (one query, no RLS)", async (id) => {
      await superPool.query("select * from public.bench_items where id = $1", [id]);
    });
    await Promise.all([direct.end(), sessionPool.end(), superPool.end()]);
    agent.destroy();

    const rps = (r: TResult) => r.requests / (r.elapsedMs / 1000);
    const rows = [gateway, directRls, directSession, directPlain].map((r) => [
      r.name,
      rps(r).toFixed(0),
      ms(percentile(r.latencies, 50)),
      ms(percentile(r.latencies, 95)),
      `${((rps(gateway) / rps(r)) * 100).toFixed(0)} %`,
    ]);
    process.stdout.write(
      `\nREST primary-key select, ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s each\n${table(["path", "req/s", "p50", "p95", "gateway as % of this"], rows)}\n`,
    );
    process.stdout.write(
      `goal: gateway >= 50 % of direct pg -> ${rps(gateway) / rps(directRls) >= 0.5 ? "met" : "NOT met"} against the same per-request RLS transaction ` +
        `(${((rps(gateway) / rps(directRls)) * 100).toFixed(0)} %); against one query on a connection whose role is fixed per session: ` +
        `${((rps(gateway) / rps(directSession)) * 100).toFixed(0)} %\n`,
    );
  } finally {
    await admin.end();
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`rest-throughput benchmark failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
