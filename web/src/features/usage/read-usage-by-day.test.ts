import { describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { readUsageByDay } from "./read-usage-by-day.ts";

function fakeClient(answer: { data: unknown; error: { message: string } | null }, calls: unknown[] = []): TBrowserClient {
  return {
    rpc: async (name: string, args: unknown) => {
      calls.push({ name, args });
      return answer;
    },
  } as unknown as TBrowserClient;
}

describe("readUsageByDay", () => {
  it("calls usage_by_day for the project (and agent) and reads numerics sent as strings", async () => {
    const calls: unknown[] = [];
    const client = fakeClient(
      {
        data: [
          {
            day: "2026-11-30",
            agent_key: "lead",
            model: "gpt-4.1",
            calls: "3",
            input_tokens: 10,
            output_tokens: "5",
            cost_usd: "0.000120",
          },
          { day: "2026-11-30", agent_key: null, model: "local", calls: 1, input_tokens: 1, output_tokens: 1, cost_usd: null },
        ],
        error: null,
      },
      calls,
    );
    const rows = await readUsageByDay(client, { projectId: "p1", days: 7, agentId: "a1" });
    expect(calls).toEqual([{ name: "usage_by_day", args: { p_project_id: "p1", p_days: 7, p_agent_id: "a1" } }]);
    expect(rows[0]).toEqual({
      day: "2026-11-30",
      agent_key: "lead",
      model: "gpt-4.1",
      calls: 3,
      input_tokens: 10,
      output_tokens: 5,
      cost_usd: 0.00012,
    });
    expect(rows[1]?.cost_usd).toBeNull();
  });

  it("says what failed and that it retries", async () => {
    await expect(
      readUsageByDay(fakeClient({ data: null, error: { message: "permission denied" } }), { projectId: "p1", days: 30 }),
    ).rejects.toThrow("Could not read the usage: permission denied. Check the connection badge; the chart retries every 30 s.");
  });
});
