import { answeredStatusOf, createControlApiClient, type THealthSummary, ZHealthSummary } from "@mission-control/shared/control-api";
import type { TConnectionMode } from "../live/live-store.ts";

/** What a connection check needs: the URLs, the anon key and a fetch (a fake one in tests). */
export interface TConnectionCheckDeps {
  supabaseUrl: string;
  supabaseAnonKey: string;
  controlApiUrl: string;
  fetch: typeof fetch;
  /**
   * Asks the database itself (a signed-in read through the REST API): true when it answered.
   * Without it, Supabase counts as reachable when its gateway answers.
   */
  probeDatabase?: () => Promise<boolean>;
  timeoutMs?: number;
}

/** The outcome of one check: the badge mode and, when not Live, what failed in plain words. */
export interface TConnectionCheck {
  mode: Exclude<TConnectionMode, "checking">;
  supabaseReachable: boolean;
  executorHealthy: boolean;
  detail: string;
}

async function probe(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<Response | Error> {
  try {
    return await fetchFn(url, { ...init, cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** What the executor's `GET /health` said: nothing (unreachable), or an HTTP status and the summary when it could be read. */
type TExecutorProbe = { answered: false } | { answered: true; httpStatus: number; health: THealthSummary | null };

/**
 * Reads `/health` with the summary schema, not the full report: the badge decides on status and
 * publication only, and an executor of another version must not look down for a field it added or
 * dropped. A 2xx answer that cannot be read at all still counts as reachable, as any 2xx did before.
 */
async function probeExecutor(deps: TConnectionCheckDeps, timeoutMs: number): Promise<TExecutorProbe> {
  const client = createControlApiClient({ baseUrl: deps.controlApiUrl, fetch: deps.fetch, timeoutMs });
  try {
    const { status, report } = await client.health(ZHealthSummary);
    return { answered: true, httpStatus: status, health: report };
  } catch (err) {
    const httpStatus = answeredStatusOf(err);
    return httpStatus === null ? { answered: false } : { answered: true, httpStatus, health: null };
  }
}

async function probeDatabase(deps: TConnectionCheckDeps, timeoutMs: number): Promise<boolean> {
  if (!deps.probeDatabase) return true;
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs));
  return Promise.race([deps.probeDatabase().catch(() => false), timeout]);
}

/**
 * Checks Supabase (auth health: any HTTP answer means reachable; and the database itself when
 * `probeDatabase` is given) and the executor's Control API (`GET /health` must answer 2xx). Live:
 * both; Backup: Supabase only (an executor that cannot reach the database is no use); Offline:
 * Supabase or its database unreachable.
 */
export async function checkConnection(deps: TConnectionCheckDeps): Promise<TConnectionCheck> {
  const timeoutMs = deps.timeoutMs ?? 4000;
  const [supabase, database, executor] = await Promise.all([
    probe(deps.fetch, `${deps.supabaseUrl}/auth/v1/health`, { headers: { apikey: deps.supabaseAnonKey } }, timeoutMs),
    probeDatabase(deps, timeoutMs),
    probeExecutor(deps, timeoutMs),
  ]);
  const executorOk = executor.answered && executor.httpStatus >= 200 && executor.httpStatus < 300;
  const health = executorOk ? executor.health : null;
  const executorHealthy = executorOk && health?.status !== "down";
  const supabaseReachable = !(supabase instanceof Error) && database;
  if (!(supabase instanceof Error) && !supabaseReachable) {
    return {
      mode: "offline",
      supabaseReachable,
      executorHealthy: false,
      detail: `Supabase answers at ${deps.supabaseUrl} but its database does not: check the stack (pnpm stack) or your project's database. Nothing can be saved until it is back.`,
    };
  }
  if (!supabaseReachable) {
    return {
      mode: "offline",
      supabaseReachable,
      executorHealthy,
      detail: `Supabase is unreachable at ${deps.supabaseUrl}: check your network or start the stack (pnpm stack). Nothing can be saved until it is back.`,
    };
  }
  if (!executorHealthy) {
    const why = !executor.answered ? "unreachable" : executorOk ? "cannot reach the database" : `unhealthy (HTTP ${executor.httpStatus})`;
    return {
      mode: "backup",
      supabaseReachable,
      executorHealthy,
      detail: `Control API ${why} at ${deps.controlApiUrl}: actions are queued and will run when the executor is back.`,
    };
  }
  // Principle 3: a publication that drifts from the registry means some live views hear nothing.
  const drift = health?.publication && !health.publication.ok ? ` Warning: ${health.publication.drift}` : "";
  return { mode: "live", supabaseReachable, executorHealthy, detail: `Executor healthy: deliveries are picked up at once.${drift}` };
}
