import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../local/src/config/env.ts";
import { getFreePort } from "../../local/src/stack/get-free-port.ts";
import { startStack, type TStackHandle } from "../../local/src/stack/start-stack.ts";

const dataDir = path.join(repoRoot, ".local", "test-start-stack");
const log = pino({ level: "silent" });
const running: TStackHandle[] = [];

async function start(options: { reset?: boolean; port?: number; envFile?: string } = {}) {
  const stack = await startStack({
    dataDir,
    host: "127.0.0.1",
    port: options.port ?? (await getFreePort()),
    pgPort: await getFreePort(),
    reset: options.reset ?? false,
    envFile: options.envFile,
    log,
  });
  running.push(stack);
  return stack;
}

async function count(databaseUrl: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("startStack", () => {
  it("comes back on the same data with the same keys, applying no migration or seed twice", async () => {
    const envFile = path.join(dataDir, "..", "test-start-stack.env");
    const first = await start({ reset: true, envFile });
    const migrations = await count(first.DATABASE_URL, "select count(*) as n from supabase_migrations.schema_migrations");
    const projects = await count(first.DATABASE_URL, "select count(*) as n from public.projects");
    await fs.writeFile(path.join(dataDir, "marker"), "kept");
    await first.stop();

    const second = await start();
    expect(second.SUPABASE_ANON_KEY).toBe(first.SUPABASE_ANON_KEY);
    expect(second.SUPABASE_SERVICE_ROLE_KEY).toBe(first.SUPABASE_SERVICE_ROLE_KEY);
    expect(second.PROVIDER_KEY_ENCRYPTION_KEY).toBe(first.PROVIDER_KEY_ENCRYPTION_KEY);
    expect(await count(second.DATABASE_URL, "select count(*) as n from supabase_migrations.schema_migrations")).toBe(migrations);
    expect(await count(second.DATABASE_URL, "select count(*) as n from public.projects")).toBe(projects);
    expect(await fs.readFile(path.join(dataDir, "marker"), "utf8")).toBe("kept");

    const written = await fs.readFile(envFile, "utf8");
    for (const name of [
      "SUPABASE_URL",
      "SUPABASE_ANON_KEY",
      "SUPABASE_SERVICE_ROLE_KEY",
      "SUPABASE_JWT_SECRET",
      "DATABASE_URL",
      "PROVIDER_KEY_ENCRYPTION_KEY",
    ]) {
      expect(written).toMatch(new RegExp(`^${name}=.+$`, "m"));
    }
    await fs.rm(envFile, { force: true });
    await second.stop();
  });

  it("answers /auth/v1/health and /rest/v1/ once ready", async () => {
    const stack = await start();
    try {
      const health = await fetch(`${stack.SUPABASE_URL}/auth/v1/health`);
      expect(health.status).toBe(200);
      const rest = await fetch(`${stack.SUPABASE_URL}/rest/v1/`, { headers: { apikey: stack.SUPABASE_ANON_KEY } });
      expect(rest.status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it("refuses a taken gateway port with a message that says what to do", async () => {
    const blocker = net.createServer();
    const port = await getFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      await expect(start({ port })).rejects.toThrow(new RegExp(`Port ${port} .* already in use.*MC_STACK_PORT`));
    } finally {
      blocker.close();
    }
  });

  it("wipes the data folder with reset", async () => {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, "marker"), "old");
    const stack = await start({ reset: true });
    await expect(fs.access(path.join(dataDir, "marker"))).rejects.toThrow();
    await stack.stop();
  });
});
