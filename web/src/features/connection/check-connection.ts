import { z } from "zod";
import type { TConnectionMode } from "../live/live-store.ts";

/** The part of the executor's `GET /health` the badge reads; anything else is ignored. */
const ZHealth = z.object({
  status: z.enum(["ok", "degraded", "down"]).optional(),
  publication: z.object({ ok: z.boolean(), drift: z.string() }).optional(),
});

/** What a connection check needs: the URLs, the anon key and a fetch (a fake one in tests). */
export interface TConnectionCheckDeps {
  supabaseUrl: string;
  supabaseAnonKey: string;
  controlApiUrl: string;
  fetch: typeof fetch;
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

/**
 * Checks Supabase (auth health: any HTTP answer means reachable) and the executor's Control API
 * (`GET /health` must answer 2xx). Live: both; Backup: Supabase only; Offline: Supabase unreachable.
 */
export async function checkConnection(deps: TConnectionCheckDeps): Promise<TConnectionCheck> {
  const timeoutMs = deps.timeoutMs ?? 4000;
  const [supabase, executor] = await Promise.all([
    probe(deps.fetch, `${deps.supabaseUrl}/auth/v1/health`, { headers: { apikey: deps.supabaseAnonKey } }, timeoutMs),
    probe(deps.fetch, `${deps.controlApiUrl}/health`, {}, timeoutMs),
  ]);
  const supabaseReachable = !(supabase instanceof Error);
  const health = executor instanceof Error || !executor.ok ? null : ZHealth.safeParse(await executor.json().catch(() => ({}))).data;
  const executorHealthy = !(executor instanceof Error) && executor.ok && health?.status !== "down";
  if (!supabaseReachable) {
    return {
      mode: "offline",
      supabaseReachable,
      executorHealthy,
      detail: `Supabase is unreachable at ${deps.supabaseUrl}: check your network or start the stack (pnpm stack). Nothing can be saved until it is back.`,
    };
  }
  if (!executorHealthy) {
    const why =
      executor instanceof Error ? "unreachable" : executor.ok ? "cannot reach the database" : `unhealthy (HTTP ${executor.status})`;
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
