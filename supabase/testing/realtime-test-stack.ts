import crypto from "node:crypto";
import path from "node:path";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import pg from "pg";
import pino from "pino";
import { repoRoot } from "../local/src/config/env.ts";
import { getFreePort } from "../local/src/stack/get-free-port.ts";
import { startStack, type TStackHandle } from "../local/src/stack/start-stack.ts";
import { testLogLevel } from "./env.ts";

/** A private stack for one realtime test file, where tables may be added to the publication. */
export interface TRealtimeTestStack {
  stack: TStackHandle;
  /** Superuser pool. */
  sql: pg.Pool;
  /** Creates a user row in auth.users and returns its id and a signed `authenticated` token. */
  createUser(): Promise<{ id: string; token: string }>;
  /** Signs a token with the stack's JWT secret. */
  signToken(claims: Record<string, unknown>, expiresInSeconds?: number): Promise<string>;
  /** A supabase-js client with the anon key and no session: realtime runs as `anon`. */
  client(): SupabaseClient;
  /**
   * A supabase-js client whose realtime token comes from `getToken` (supabase-js' `accessToken`
   * option, so the token survives the post-join auth refresh), already applied before it returns.
   */
  userClient(getToken: () => string): Promise<SupabaseClient>;
  /** A supabase-js client with the service role key. */
  serviceClient(): SupabaseClient;
  /** Restarts the whole stack on the same data folder and ports (the gateway comes back at the same URL). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** Starts a fresh stack in `.local/rt-<name>` on free ports. */
export async function startRealtimeTestStack(name: string): Promise<TRealtimeTestStack> {
  const options = {
    dataDir: path.join(repoRoot, ".local", `rt-${name}`),
    host: "127.0.0.1",
    port: await getFreePort(),
    pgPort: await getFreePort(),
    seed: false,
    log: pino({ level: testLogLevel }),
  };
  let stack = await startStack({ ...options, reset: true });
  let sql = testPool(stack.DATABASE_URL);
  const clients: SupabaseClient[] = [];
  const key = () => new TextEncoder().encode(stack.SUPABASE_JWT_SECRET);

  const signToken = async (claims: Record<string, unknown>, expiresInSeconds = 3600) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(key());
  };
  const track = (c: SupabaseClient) => {
    clients.push(c);
    return c;
  };
  const closeClients = async () => {
    await Promise.all(clients.splice(0).map((c) => c.removeAllChannels().catch(() => {})));
  };

  const handle: TRealtimeTestStack = {
    get stack() {
      return stack;
    },
    get sql() {
      return sql;
    },
    signToken,
    createUser: async () => {
      const id = crypto.randomUUID();
      await sql.query("insert into auth.users (id, email) values ($1, $2)", [id, `rt-${id.slice(0, 8)}@example.test`]);
      const token = await signToken({ role: "authenticated", sub: id, aud: "authenticated" });
      return { id, token };
    },
    client: () => track(createSupabaseClient(stack.SUPABASE_URL, stack.SUPABASE_ANON_KEY, noSession)),
    userClient: async (getToken) => {
      const c = track(
        createSupabaseClient(stack.SUPABASE_URL, stack.SUPABASE_ANON_KEY, { ...noSession, accessToken: async () => getToken() }),
      );
      await c.realtime.setAuth(getToken());
      return c;
    },
    serviceClient: () => track(createSupabaseClient(stack.SUPABASE_URL, stack.SUPABASE_SERVICE_ROLE_KEY, noSession)),
    restart: async () => {
      await sql.end();
      await stack.stop();
      stack = await startStack({ ...options, reset: false });
      sql = testPool(stack.DATABASE_URL);
    },
    stop: async () => {
      await closeClients();
      await sql.end();
      await stack.stop();
    },
  };
  return handle;
}

/** A superuser pool whose idle connections may die with Postgres at stop without failing the run. */
function testPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on("error", () => {});
  return pool;
}

/** Subscribes and resolves on SUBSCRIBED; rejects on CHANNEL_ERROR, TIMED_OUT or CLOSED. */
export function subscribeChannel(channel: RealtimeChannel, timeoutMs = 10_000): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`channel ${channel.topic} did not subscribe in ${timeoutMs} ms`)), timeoutMs);
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED") {
        clearTimeout(timer);
        resolve(channel);
      } else if (status === "CHANNEL_ERROR" || status === "TIMED_OUT") {
        clearTimeout(timer);
        reject(err ?? new Error(`channel ${channel.topic}: ${status}`));
      }
    });
  });
}

/** Waits until `predicate` holds, polling every 10 ms; throws with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
