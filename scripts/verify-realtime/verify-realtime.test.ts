import { REALTIME_TABLES } from "@mission-control/shared/realtime";
import { stackInfo } from "@mission-control/supabase/testing";
import { describe, expect, it } from "vitest";
import { REALTIME_PROBES } from "./realtime-probes.ts";
import { formatChecks, verifyRealtime } from "./verify-realtime.ts";

describe("verify:realtime", () => {
  it("has a probe for every table in the realtime registry", () => {
    const missing = REALTIME_TABLES.map((t) => `${t.schema}.${t.table}`).filter((t) => !REALTIME_PROBES[t]);
    expect(missing).toEqual([]);
  });

  it("receives an event for every registered table on the local stack", async () => {
    const { url, serviceRoleKey } = stackInfo();
    const result = await verifyRealtime({ url, serviceRoleKey, timeoutMs: 5000 });
    expect(result.checks.map((c) => c.table)).toEqual(REALTIME_TABLES.map((t) => `${t.schema}.${t.table}`));
    for (const check of result.checks) {
      expect(check, formatChecks(result.checks)).toMatchObject({ published: true, eventReceived: true, problem: null });
    }
    expect(result.ok).toBe(true);
  });
});
