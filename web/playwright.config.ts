import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium against a fresh local stack, the built dashboard
 * (`next start`) and the real executor. The global setup starts the stack and the web server;
 * specs start, stop and kill the executor through a fixture. One worker: the executor is shared.
 * Run with `pnpm --filter @mission-control/web test:e2e` (it builds first).
 */
export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/setup/global-setup.ts",
  outputDir: "./test-results/artifacts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    viewport: { width: 1360, height: 820 },
    colorScheme: "dark",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
});
