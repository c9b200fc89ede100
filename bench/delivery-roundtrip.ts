import crypto from "node:crypto";
import { parseExecutorEnv, startExecutor } from "@mission-control/executor";
import pg from "pg";
import pino from "pino";
import { startSeparateBenchStack } from "./lib/bench-stack.ts";
import { benchEnv } from "./lib/env.ts";
import { signInBenchUser } from "./lib/sign-in-bench-user.ts";
import { ms, percentile, table } from "./lib/stats.ts";

const MESSAGES = benchEnv.BENCH_MESSAGES;

/**
 * Round trip as the dashboard sees it: an operator sends a DM with send_chat_message (supabase-js,
 * signed in), the executor (realtime wake-ups, built-in model) answers, and a second signed-in
 * client subscribed to the project's messages sees the reply row arrive.
 */
async function main() {
  const stack = await startSeparateBenchStack("delivery-roundtrip");
  const sql = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 2 });
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
    await sql.query(
      `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"team_room": true, "dms": true}')`,
      [projectId],
    );
    await sql.query(
      "insert into public.agents (project_id, agent_key, display_name, system_prompt) values ($1, 'lead', 'Lead', 'You lead the team.')",
      [projectId],
    );

    const started = await startExecutor(
      parseExecutorEnv({
        SUPABASE_URL: stack.SUPABASE_URL,
        SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
        CONTROL_API_PORT: "0",
        EXECUTOR_ID: "bench-roundtrip",
        LOG_LEVEL: "warn",
      }),
      { log: pino({ level: "warn" }) },
    );
    executor.stop = () => started.stop();

    const waiting = new Map<string, (at: number) => void>();
    const channel = watcher.client
      .channel("bench-replies")
      .on(
        "postgres_changes",
        { event: "INSERT", schema: "public", table: "project_chat_messages", filter: `project_id=eq.${projectId}` },
        (payload) => {
          const row = payload.new as { reply_to: string | null };
          if (row.reply_to) waiting.get(row.reply_to)?.(performance.now());
        },
      );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(new Error("subscribe failed")) : undefined,
      ),
    );

    const total: number[] = [];
    const send: number[] = [];
    for (let i = 0; i < MESSAGES + 10; i++) {
      const messageId = crypto.randomUUID();
      const replied = new Promise<number>((resolve) => waiting.set(messageId, resolve));
      const t0 = performance.now();
      const { error } = await operator.client.rpc("send_chat_message", {
        p_project_id: projectId,
        p_thread_key: "DM:lead",
        p_content: `Status update ${i}, please?`,
        p_message_id: messageId,
      });
      if (error) throw new Error(`send_chat_message failed: ${error.message}`);
      const t1 = performance.now();
      const t2 = await Promise.race([
        replied,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no reply to message ${i}`)), 10_000)),
      ]);
      waiting.delete(messageId);
      // The first 10 warm up connections and caches.
      if (i >= 10) {
        total.push(t2 - t0);
        send.push(t1 - t0);
      }
    }
    await watcher.client.removeChannel(channel);
    const rowsOut = [
      ["send_chat_message RPC (operator)", ms(percentile(send, 50)), ms(percentile(send, 95)), ms(Math.max(...send))],
      ["send -> reply row seen by a 2nd subscribed client", ms(percentile(total, 50)), ms(percentile(total, 95)), ms(Math.max(...total))],
    ];
    process.stdout.write(
      `\nChat round trip with the built-in model, ${MESSAGES} messages one after another\n${table(["step", "p50", "p95", "max"], rowsOut)}\n`,
    );
    process.stdout.write(`goal: round-trip p95 <= 50 ms -> ${percentile(total, 95) <= 50 ? "met" : "NOT met"}\n`);
    for (const c of [operator.client, watcher.client]) c.realtime.disconnect();
  } finally {
    await executor.stop();
    await sql.end();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`delivery-roundtrip benchmark failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
