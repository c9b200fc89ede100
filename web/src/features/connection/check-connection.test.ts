import { describe, expect, it } from "vitest";
import { checkConnection } from "./check-connection.ts";

const base = { supabaseUrl: "http://sb.test", supabaseAnonKey: "anon-key-anon-key-anon", controlApiUrl: "http://exec.test" };

function fakeFetch(answers: { supabase: number | "down"; executor: number | "down"; health?: unknown }): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    const answer = url.startsWith("http://sb.test") ? answers.supabase : answers.executor;
    if (answer === "down") throw new TypeError("Failed to fetch");
    return new Response(JSON.stringify(answers.health ?? {}), { status: answer });
  }) as typeof fetch;
}

describe("checkConnection", () => {
  it("is Live when Supabase answers and the Control API is healthy", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 200 }) });
    expect(result.mode).toBe("live");
  });

  it("is Backup when the Control API is unreachable, and says actions are queued", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: "down" }) });
    expect(result.mode).toBe("backup");
    expect(result.detail).toContain("queued");
  });

  it("is Backup when the Control API answers unhealthy", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 503 }) });
    expect(result.mode).toBe("backup");
    expect(result.detail).toContain("HTTP 503");
  });

  it("is Offline when Supabase is unreachable, whatever the executor says", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: "down", executor: 200 }) });
    expect(result.mode).toBe("offline");
  });

  it("counts any HTTP answer from Supabase as reachable", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 401, executor: "down" }) });
    expect(result.supabaseReachable).toBe(true);
  });

  it("is Backup when the executor answers but reports the database down", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 200, health: { status: "down" } }) });
    expect(result.mode).toBe("backup");
  });

  it("stays Live when the executor's report has fields this dashboard does not know or lacks ones it does not read", async () => {
    const health = { status: "ok", publication: { ok: true, drift: "" }, addedLater: { anything: 1 } };
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 200, health }) });
    expect(result.mode).toBe("live");
    expect(result.executorHealthy).toBe(true);
  });

  it("is Backup naming the status when the Control API refuses with an error envelope", async () => {
    const health = { error: { code: "internal", message: "The Control API hit an unexpected error; the executor log has the details" } };
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 500, health }) });
    expect(result.mode).toBe("backup");
    expect(result.detail).toContain("unhealthy (HTTP 500)");
  });

  it("stays Live but names the drift when the realtime publication differs from the registry", async () => {
    const health = { status: "degraded", publication: { ok: false, drift: "registered but not published: public.tasks" } };
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 200, health }) });
    expect(result.mode).toBe("live");
    expect(result.detail).toContain("public.tasks");
  });

  it("is Offline when the gateway answers but the database does not, even with a healthy executor", async () => {
    const result = await checkConnection({
      ...base,
      fetch: fakeFetch({ supabase: 200, executor: 200 }),
      probeDatabase: async () => false,
    });
    expect(result.mode).toBe("offline");
    expect(result.supabaseReachable).toBe(false);
    expect(result.detail).toContain("its database does not");
  });

  it("counts a database probe that never answers as unreachable", async () => {
    const result = await checkConnection({
      ...base,
      timeoutMs: 20,
      fetch: fakeFetch({ supabase: 200, executor: 200 }),
      probeDatabase: () => new Promise<boolean>(() => {}),
    });
    expect(result.mode).toBe("offline");
  });

  it("is Live when the database probe answers", async () => {
    const result = await checkConnection({ ...base, fetch: fakeFetch({ supabase: 200, executor: 200 }), probeDatabase: async () => true });
    expect(result.mode).toBe("live");
  });
});
