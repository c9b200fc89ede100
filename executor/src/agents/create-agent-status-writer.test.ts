import pino from "pino";
import { describe, expect, it } from "vitest";
import type { TDb } from "../db/executor-client.ts";
import { createAgentStatusWriter } from "./create-agent-status-writer.ts";

const log = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records the agent_status updates the writer makes (the integration tests use the real table). */
function recordingDb(writeMs = 5) {
  const writes: { at: number; agentId: string; row: Record<string, unknown> }[] = [];
  const started = performance.now();
  const db = {
    from: (table: string) => {
      if (table !== "agent_status") throw new Error(`unexpected table ${table}`);
      return {
        update: (row: Record<string, unknown>) => ({
          eq: async (_column: string, agentId: string) => {
            writes.push({ at: performance.now() - started, agentId, row });
            await sleep(writeMs);
            return { error: null };
          },
        }),
      };
    },
  } as unknown as TDb;
  return { db, writes };
}

describe("createAgentStatusWriter", () => {
  it("writes the first status at once, then at most one per interval per agent, always ending on the latest", async () => {
    const { db, writes } = recordingDb();
    const writer = createAgentStatusWriter(db, log, { minIntervalMs: 100 });
    const started = performance.now();
    writer.set("a", { status: "working", currentAction: "one" });
    for (let i = 0; i < 20; i++) {
      writer.set("a", { status: "working", currentAction: `step ${i}` });
      await sleep(5);
    }
    writer.set("a", { status: "idle", currentAction: "", lastModel: "m1" });
    const busyMs = performance.now() - started;
    await sleep(250);
    const statuses = writes.map((w) => `${w.row.status}:${w.row.current_action}`);
    expect(statuses[0]).toBe("working:one");
    expect(statuses.at(-1)).toBe("idle:");
    expect(writes.at(-1)?.row.last_model).toBe("m1");
    // 22 updates over `busyMs`: one write at once, then one per 100 ms at most (however slow the machine is).
    expect(writes.length).toBeLessThanOrEqual(2 + Math.ceil(busyMs / 100));
    expect(writes.length).toBeLessThan(22);
    for (let i = 1; i < writes.length; i++) expect((writes[i]?.at ?? 0) - (writes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(95);
  });

  it("throttles each agent on its own", async () => {
    const { db, writes } = recordingDb();
    const writer = createAgentStatusWriter(db, log, { minIntervalMs: 1_000 });
    writer.set("a", { status: "working", currentAction: "x" });
    writer.set("b", { status: "working", currentAction: "y" });
    await sleep(20);
    expect(writes.map((w) => w.agentId).sort()).toEqual(["a", "b"]);
  });

  it("writes what is waiting at once on flush and carries context usage over", async () => {
    const { db, writes } = recordingDb();
    const writer = createAgentStatusWriter(db, log, { minIntervalMs: 60_000 });
    writer.set("a", { status: "working", currentAction: "first" });
    writer.set("a", { status: "working", currentAction: "second", contextUsage: { total: 10 } });
    writer.set("a", { status: "idle", currentAction: "" });
    const started = performance.now();
    await writer.flush();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(writes.map((w) => w.row.status)).toEqual(["working", "idle"]);
    expect(writes[1]?.row.context_usage).toEqual({ total: 10 });
  });
});
