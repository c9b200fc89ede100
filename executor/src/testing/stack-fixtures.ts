import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Database } from "@mission-control/shared/db";
import { AGENT_TOOLS } from "@mission-control/shared/schemas";
import { anonClient, explicitTestLogLevel, serviceClient, signedInClient, stackInfo } from "@mission-control/supabase/testing";
import type { SupabaseClient } from "@supabase/supabase-js";
import pino from "pino";
import { createExecutorClient, type TDb } from "../db/executor-client.ts";
import { parseExecutorEnv, repoRoot, type TExecutorEnv } from "../env.ts";
import { startExecutor, type TExecutor, type TExecutorOverrides } from "../runtime/start-executor.ts";

export { waitFor } from "./wait-for.ts";
export { anonClient, serviceClient, stackInfo };

/** A signed-in member of the test project. */
export type TTestMember = { client: SupabaseClient; userId: string; email: string; token: string };

/** A project of one test file, with its own members and agents, so test files never share rows. */
export type TTestProject = {
  projectId: string;
  db: TDb;
  owner: TTestMember;
  operator: TTestMember;
  viewer: TTestMember;
  agentIds: Record<string, string>;
  /** Deletes the project (its messages and deliveries cascade). */
  remove(): Promise<void>;
};

/**
 * An agent of a test project: `provider` defaults to the built-in model, and it may propose every
 * action at any risk unless the test narrows `tools_enabled` / `risk_tolerance`. Any other profile
 * column may be set (null: inherit the project default).
 */
export type TTestAgent = { agent_key: string } & Partial<
  Omit<Database["public"]["Tables"]["agents"]["Insert"], "agent_key" | "project_id">
>;

/** Creates a project with an owner, an operator and a viewer, labs flags on, and the given agents. */
export async function createTestProject(label: string, agents: TTestAgent[]): Promise<TTestProject> {
  const s = stackInfo();
  const db = createExecutorClient(s.url, s.serviceRoleKey);
  const slug = `${label}-${crypto.randomUUID().slice(0, 8)}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const project = await db
    .from("projects")
    .insert({ name: `Test ${label}`, slug })
    .select("id")
    .single();
  if (project.error) throw new Error(`could not create the test project: ${project.error.message}`);
  const projectId = project.data.id;
  const member = async (role: "owner" | "operator" | "viewer"): Promise<TTestMember> => {
    const user = await signedInClient(`${label}-${role}`);
    const session = await user.client.auth.getSession();
    const token = session.data.session?.access_token;
    if (!token) throw new Error("the test user has no session");
    const added = await db.from("project_members").insert({ project_id: projectId, user_id: user.userId, role });
    if (added.error) throw new Error(`could not add the ${role}: ${added.error.message}`);
    return { client: user.client, userId: user.userId, email: user.email, token };
  };
  const [owner, operator, viewer] = await Promise.all([member("owner"), member("operator"), member("viewer")]);
  const settings = await db.from("project_settings").insert([
    { project_id: projectId, key: "labs_features", value: { team_room: true, dms: true } },
    { project_id: projectId, key: "team_room", value: { agent_posts_per_hour: 1000 } },
  ]);
  if (settings.error) throw new Error(`could not turn the labs flags on: ${settings.error.message}`);
  const rows = agents.map((agent) => ({
    project_id: projectId,
    display_name: agent.agent_key,
    provider: "builtin",
    model: "builtin-offline",
    system_prompt: "",
    tools_enabled: [...AGENT_TOOLS],
    risk_tolerance: "high",
    ...agent,
  }));
  const inserted = await db.from("agents").insert(rows).select("id, agent_key");
  if (inserted.error) throw new Error(`could not create the agents: ${inserted.error.message}`);
  const agentIds = Object.fromEntries(inserted.data.map((row) => [row.agent_key, row.id]));
  return {
    projectId,
    db,
    owner,
    operator,
    viewer,
    agentIds,
    async remove() {
      await db.from("projects").delete().eq("id", projectId);
      db.realtime.disconnect();
    },
  };
}

/** An executor environment for tests: the test stack, a free port, fast loops, silent logs. */
export function testEnv(overrides: Record<string, string> = {}): TExecutorEnv {
  const s = stackInfo();
  return parseExecutorEnv({
    SUPABASE_URL: s.url,
    SUPABASE_SERVICE_ROLE_KEY: s.serviceRoleKey,
    CONTROL_API_PORT: "0",
    EXECUTOR_ID: `test-${crypto.randomUUID().slice(0, 8)}`,
    POLL_INTERVAL_MS: "200",
    WATCHDOG_INTERVAL_MS: "60000",
    PRESENCE_INTERVAL_MS: "60000",
    SHUTDOWN_TIMEOUT_MS: "5000",
    DELIVERY_RETRY_BASE_MS: "50",
    DELIVERY_RETRY_MAX_MS: "200",
    LOG_LEVEL: explicitTestLogLevel ?? "silent",
    // Database tests queue runs of their own at the same time: a test executor works only the runs
    // of the projects its test names (RUN_PROJECT_IDS), none by default.
    RUN_PROJECT_IDS: "00000000-0000-4000-8000-000000000000",
    ...overrides,
  });
}

/**
 * Starts an executor on the test stack with `testEnv(envOverrides)`. It applies no agent provision
 * requests unless `overrides.provisionProjectIds` names the test's project, so it never takes over
 * requests that database tests running at the same time apply themselves.
 */
export async function startTestExecutor(envOverrides: Record<string, string> = {}, overrides: TExecutorOverrides = {}): Promise<TExecutor> {
  const env = testEnv(envOverrides);
  return startExecutor(env, { log: pino({ level: env.LOG_LEVEL }), provisionProjectIds: [], ...overrides });
}

/**
 * Executors claim from one global queue, so test files that run executors take turns: this holds
 * a lock directory for the file's lifetime (other files wait). Returns the release function.
 */
export async function holdExecutorLock(timeoutMs = 120_000): Promise<() => Promise<void>> {
  const dir = path.join(repoRoot, ".local", `executor-tests-${stackInfo().url.replace(/[^0-9]/g, "")}.lock`);
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fs.mkdir(dir);
      return async () => {
        await fs.rm(dir, { recursive: true, force: true });
      };
    } catch {
      if (Date.now() > deadline) throw new Error(`another executor test held ${dir} for more than ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
