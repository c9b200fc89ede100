import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import pg from "pg";
import { startBenchStackProcess, type TBenchStackInfo } from "./lib/bench-stack.ts";
import { benchEnv } from "./lib/env.ts";
import { ms, percentile, table } from "./lib/stats.ts";

/**
 * Realtime commit-to-callback latency through unmodified supabase-js: each insert stamps its row
 * with the bench's clock (performance.timeOrigin + performance.now()) just before it is sent; each
 * client's postgres_changes callback subtracts the stamp from its own clock (same process).
 * The stack (Postgres + gateway) runs in a child process so the 100 clients do not share the
 * gateway's event loop. Targets: p95 <= 5 ms with 1 client, <= 20 ms with 100.
 */

const INSERTS = benchEnv.BENCH_INSERTS;
const WARMUP = 50;
const RUN_LIMIT_MS = 240_000;
const DELIVERY_TIMEOUT_MS = 2_000;

type TStackInfo = TBenchStackInfo;

const now = () => performance.timeOrigin + performance.now();

interface TScenario {
  name: string;
  clients: number;
  rls: boolean;
  samples: number[];
  missing: number;
}

/** A token for a fresh auth.users row, so every RLS subscriber has its own claims. */
async function userToken(info: TStackInfo, sql: pg.Pool): Promise<string> {
  const id = crypto.randomUUID();
  await sql.query("insert into auth.users (id, email) values ($1, $2)", [id, `bench-${id.slice(0, 8)}@example.test`]);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "authenticated", sub: id, aud: "authenticated" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(info.jwtSecret));
}

async function runScenario(info: TStackInfo, sql: pg.Pool, clients: number, rls: boolean): Promise<TScenario> {
  const table = `bench_rt_${clients}${rls ? "_rls" : ""}`;
  await sql.query(
    `create table public.${table} (id bigint generated always as identity primary key, sent_at double precision not null, body text)`,
  );
  if (rls) {
    await sql.query(`alter table public.${table} enable row level security`);
    await sql.query(`create policy "Signed-in users can read bench rows" on public.${table} for select to authenticated using (true)`);
  }
  await sql.query(`alter publication supabase_realtime add table public.${table}`);

  const samples: number[] = [];
  const received = new Map<number, number>();
  let recording = false;
  const supabase: SupabaseClient[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const token = rls ? await userToken(info, sql) : null;
      const client = createSupabaseClient(info.url, info.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        ...(token ? { accessToken: async () => token } : {}),
      });
      if (token) await client.realtime.setAuth(token);
      supabase.push(client);
      await new Promise<void>((resolve, reject) => {
        client
          .channel(`bench-${clients}`)
          .on("postgres_changes", { event: "INSERT", schema: "public", table }, (payload) => {
            const at = now();
            const row = payload.new as { id: number; sent_at: number };
            if (recording) samples.push(at - row.sent_at);
            received.set(row.id, (received.get(row.id) ?? 0) + 1);
          })
          .subscribe((status, err) => {
            if (status === "SUBSCRIBED") resolve();
            else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") reject(err ?? new Error(status));
          });
      });
    }),
  );

  let missing = 0;
  for (let i = 0; i < WARMUP + INSERTS; i++) {
    recording = i >= WARMUP;
    const { rows } = await sql.query<{ id: string }>(`insert into public.${table} (sent_at, body) values ($1, 'x') returning id`, [now()]);
    const id = Number(rows[0]?.id);
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    while ((received.get(id) ?? 0) < clients && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    const got = received.get(id) ?? 0;
    if (recording) missing += clients - got;
    received.delete(id);
  }
  await Promise.all(supabase.map((c) => c.removeAllChannels()));
  const name = rls ? `${clients} users, RLS table (${clients} checks/insert)` : `${clients} client${clients === 1 ? "" : "s"}`;
  return { name, clients, rls, samples, missing };
}

async function main(): Promise<void> {
  const guard = setTimeout(() => {
    console.error(`realtime-latency: gave up after ${RUN_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, RUN_LIMIT_MS);
  guard.unref();
  const { info, stop } = await startBenchStackProcess("realtime");
  const sql = new pg.Pool({ connectionString: info.databaseUrl, max: 2 });
  sql.on("error", () => {});
  try {
    const results = [
      await runScenario(info, sql, 1, false),
      await runScenario(info, sql, 100, false),
      await runScenario(info, sql, 100, true),
    ];
    const targets: Record<number, number> = { 1: 5, 100: 20 };
    console.log(`\nRealtime commit-to-callback latency through supabase-js (${INSERTS} inserts each, after ${WARMUP} warm-up)\n`);
    console.log(
      table(
        ["scenario", "deliveries", "missing", "p50", "p95", "p99", "max", "p95 target", "ok"],
        results.map((r) => {
          const p95 = percentile(r.samples, 95);
          const target = r.rls ? Number.NaN : (targets[r.clients] ?? Number.NaN);
          return [
            r.name,
            String(r.samples.length),
            String(r.missing),
            ms(percentile(r.samples, 50)),
            ms(p95),
            ms(percentile(r.samples, 99)),
            ms(Math.max(...r.samples)),
            Number.isNaN(target) ? "(info)" : `<= ${target} ms`,
            Number.isNaN(target) ? (r.missing === 0 ? "-" : "NO") : p95 <= target && r.missing === 0 ? "yes" : "NO",
          ];
        }),
      ),
    );
  } finally {
    await sql.end();
    await stop();
  }
  process.exit(0);
}

await main();
