import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "shared/src/**/*.test.ts",
      "executor/src/**/*.test.ts",
      "web/src/**/*.test.ts",
      "supabase/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", ".local/**"],
    globalSetup: ["supabase/testing/global-stack.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: "forks",
  },
});
