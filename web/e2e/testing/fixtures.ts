import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { createAdminClient, type TAdminClient } from "./admin-client.ts";
import { readE2eEnv, type TE2eEnv } from "./env.ts";
import { createExecutorProcess, type TExecutorProcess } from "./executor-process.ts";
import { signInThroughApi } from "./sign-in-through-api.ts";
import { startHangingProvider } from "./start-hanging-provider.ts";
import { OPERATOR } from "./test-data.ts";

/** How long a delivery may sit claimed before the executor's watchdog fails it, in these tests. */
export const WATCHDOG_STUCK_AFTER_MS = 3000;

type TFixtures = {
  /** Attaches what the executor printed to a failed test. */
  executorLog: undefined;
  env: TE2eEnv;
  admin: TAdminClient;
  /** Signs the page in through the API (default: the seeded operator). */
  signIn: (account?: { email: string; password: string }) => Promise<void>;
  /** Saves a screenshot to test-results/screenshots/<name>.png. */
  shot: (name: string) => Promise<void>;
};

type TWorkerFixtures = {
  /** The executor child process; stopped after the worker's last test. */
  executor: TExecutorProcess;
  /** Base URL of an OpenAI-compatible endpoint that never answers (for the mid-delivery kill). */
  hangingProviderUrl: string;
  /** The executor's WORKSPACE_DIR: approved file_write actions write here (a fresh directory per worker). */
  workspaceDir: string;
};

/** Playwright's test with the Mission Control fixtures. */
export const test = base.extend<TFixtures, TWorkerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring
  baseURL: async ({}, use) => {
    await use(readE2eEnv().E2E_BASE_URL);
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring
  env: async ({}, use) => {
    await use(readE2eEnv());
  },
  executorLog: [
    async ({ executor }, use, testInfo) => {
      const before = executor.output().length;
      await use(undefined);
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach("executor-output", { body: executor.output().slice(before) || "(nothing)", contentType: "text/plain" });
      }
    },
    { auto: true },
  ],
  admin: async ({ env }, use) => {
    await use(createAdminClient(env));
  },
  signIn: async ({ page, env }, use) => {
    await use((account = OPERATOR) => signInThroughApi(page, env, account));
  },
  shot: async ({ page }, use, testInfo) => {
    await use(async (name) => {
      await page.screenshot({ path: path.join(testInfo.config.rootDir, "..", "test-results", "screenshots", `${name}.png`) });
    });
  },
  hangingProviderUrl: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring
    async ({}, use) => {
      const provider = await startHangingProvider();
      await use(provider.baseUrl);
      await provider.close();
    },
    { scope: "worker" },
  ],
  workspaceDir: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-e2e-workspace-"));
      await use(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { scope: "worker" },
  ],
  executor: [
    async ({ hangingProviderUrl, workspaceDir }, use) => {
      const env = readE2eEnv();
      const executor = createExecutorProcess({
        repoRoot: env.E2E_REPO_ROOT,
        controlApiPort: env.E2E_CONTROL_API_PORT,
        env: {
          SUPABASE_URL: env.E2E_SUPABASE_URL,
          SUPABASE_SERVICE_ROLE_KEY: env.E2E_SUPABASE_SERVICE_ROLE_KEY,
          WEB_ORIGIN: env.E2E_BASE_URL,
          WATCHDOG_STUCK_AFTER_MS: String(WATCHDOG_STUCK_AFTER_MS),
          WATCHDOG_INTERVAL_MS: "500",
          LOG_LEVEL: "warn",
          OPENAI_BASE_URL: hangingProviderUrl,
          OPENAI_API_KEY: "e2e-hanging-provider",
          WORKSPACE_DIR: workspaceDir,
          // Provider keys set through the dashboard are encrypted with this (a fresh one per worker).
          PROVIDER_KEY_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
        },
      });
      await use(executor);
      await executor.stop();
    },
    { scope: "worker" },
  ],
});

export { expect };

/** The connection badge in the top bar. */
export function badge(page: Page) {
  return page.getByTestId("connection-badge");
}
