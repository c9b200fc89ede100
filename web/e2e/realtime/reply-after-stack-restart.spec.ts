import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getFreePort, startStack } from "@mission-control/supabase/stack";
import pino from "pino";
import { createAdminClient } from "../testing/admin-client.ts";
import { agentReplies, dmPane, operatorMessage, sendFrom } from "../testing/chat-helpers.ts";
import { startDashboardProcess } from "../testing/dashboard-process.ts";
import { e2eLogLevel, type TE2eEnv } from "../testing/env.ts";
import { createExecutorProcess } from "../testing/executor-process.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { signInThroughApi } from "../testing/sign-in-through-api.ts";
import { createTestProject, ensureDmThread, insertAgentMessage, OPERATOR } from "../testing/test-data.ts";

/**
 * A stack, dashboard and executor of this spec's own (the shared stack lives in the runner's
 * process and cannot be restarted from here): stop the whole stack and start it again on the same
 * data folder and ports while a DM pane stays open, as `pnpm stack` restarted by hand would.
 */
test.describe("after a restart of the whole stack", () => {
  test("an open DM pane goes back to Live by itself and shows the agent's next reply without a reload", async ({
    page,
    env: shared,
    shot,
  }) => {
    test.setTimeout(240_000);
    const repoRoot = shared.E2E_REPO_ROOT;
    const dataDir = path.join(repoRoot, ".local", `e2e-restart-${process.pid}`);
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-e2e-restart-"));
    const stackOptions = {
      dataDir,
      host: "127.0.0.1",
      port: await getFreePort(),
      pgPort: await getFreePort(),
      log: pino({ level: e2eLogLevel }),
    };
    let stack = await startStack({ ...stackOptions, reset: true, seed: true });
    const controlApiPort = await getFreePort();
    const cleanups: (() => Promise<void>)[] = [
      async () => {
        await stack.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
        fs.rmSync(workspaceDir, { recursive: true, force: true });
      },
    ];
    try {
      const web = await startDashboardProcess({
        webDir: path.join(repoRoot, "web"),
        port: await getFreePort(),
        supabaseUrl: stack.SUPABASE_URL,
        supabaseAnonKey: stack.SUPABASE_ANON_KEY,
        controlApiPort,
      });
      cleanups.unshift(() => web.stop());
      const env: TE2eEnv = {
        E2E_BASE_URL: web.baseUrl,
        E2E_SUPABASE_URL: stack.SUPABASE_URL,
        E2E_SUPABASE_ANON_KEY: stack.SUPABASE_ANON_KEY,
        E2E_SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
        E2E_CONTROL_API_PORT: controlApiPort,
        E2E_REPO_ROOT: repoRoot,
      };
      const executor = createExecutorProcess({
        repoRoot,
        controlApiPort,
        env: {
          SUPABASE_URL: stack.SUPABASE_URL,
          SUPABASE_SERVICE_ROLE_KEY: stack.SUPABASE_SERVICE_ROLE_KEY,
          WEB_ORIGIN: web.baseUrl,
          LOG_LEVEL: "warn",
          WORKSPACE_DIR: workspaceDir,
          PROVIDER_KEY_ENCRYPTION_KEY: stack.PROVIDER_KEY_ENCRYPTION_KEY,
        },
      });
      cleanups.unshift(() => executor.stop());
      await executor.start();

      // The gateway comes back at the same URL with the same keys (the data folder keeps the JWT secret).
      const admin = createAdminClient(env);
      const project = await createTestProject(admin, { label: "stack-restart", labs: { dms: true } });
      await signInThroughApi(page, env, OPERATOR);
      await page.goto(`${web.baseUrl}/p/${project.slug}/dms`);
      await expect(badge(page)).toHaveAttribute("data-mode", "live");
      const lead = dmPane(page, "Lead");
      await sendFrom(lead, "Before the restart");
      await expect(agentReplies(lead)).toHaveCount(1);
      // Marks this document: a reload or a navigation would lose it.
      await page.evaluate(() => {
        (window as unknown as { __beforeRestart?: boolean }).__beforeRestart = true;
      });

      await stack.stop();
      await expect(badge(page)).not.toHaveAttribute("data-mode", "live", { timeout: 15_000 });
      stack = await startStack({ ...stackOptions, reset: false, seed: false });

      // Back by itself: realtime rejoins, the badge follows.
      await expect(badge(page)).toHaveAttribute("data-mode", "live", { timeout: 30_000 });
      await expect(badge(page)).toHaveAttribute("data-realtime", "subscribed");
      // A message sent after the restart is delivered and its reply shows up live.
      await sendFrom(lead, "After the restart");
      await expect(operatorMessage(lead, "After the restart").getByTestId("delivery-state")).toHaveAttribute("data-status", "processed");
      await expect(agentReplies(lead)).toHaveCount(2);
      // A reply written straight into the database (another executor, a script) arrives by realtime alone.
      const threadId = await ensureDmThread(admin, project.id, "lead");
      await insertAgentMessage(admin, project.id, threadId, "lead", "Written after the restart, outside the dashboard");
      await expect(lead).toContainText("Written after the restart, outside the dashboard");
      expect(await page.evaluate(() => (window as unknown as { __beforeRestart?: boolean }).__beforeRestart)).toBe(true);
      await shot("dm-after-stack-restart");
    } finally {
      for (const cleanup of cleanups) await cleanup().catch(() => {});
    }
  });
});
