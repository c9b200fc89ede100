import pino from "pino";
import { describe, expect, it } from "vitest";
import { planOccurrence } from "./run-scheduler-tick.ts";
import type { TCronJob } from "./schedule-rpcs.ts";

const log = pino({ level: "silent" });
const now = new Date("2026-12-01T10:05:30Z");

function job(fields: Partial<TCronJob>): TCronJob {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    project_id: "00000000-0000-4000-8000-000000000002",
    name: "Job",
    schedule_kind: "every",
    schedule_expr: "10m",
    time_zone: "UTC",
    missed_policy: "catch_up_once",
    job_intent: "task",
    instructions: "",
    target_agent_key: null,
    enabled: true,
    last_run_at: null,
    next_run_at: null,
    schedule_rev: 1,
    scheduled_rev: 0,
    heartbeat_agent_id: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    seq: 1,
    ...fields,
  };
}

describe("planOccurrence", () => {
  it("gives a new or edited job its first fire time after now, and fires nothing", () => {
    expect(planOccurrence(job({ schedule_kind: "cron", schedule_expr: "0 9 * * *", time_zone: "Europe/Berlin" }), now, log)).toMatchObject({
      schedule_rev: 1,
      expected_next_run_at: null,
      next_run_at: "2026-12-02T08:00:00.000Z",
      due_count: 0,
    });
  });

  it("claims the due times of a scheduled job and moves it on", () => {
    const planned = planOccurrence(job({ next_run_at: "2026-12-01T09:45:00+00:00", scheduled_rev: 1 }), now, log);
    expect(planned).toMatchObject({
      expected_next_run_at: "2026-12-01T09:45:00+00:00",
      due_count: 3,
      first_due: "2026-12-01T09:45:00.000Z",
      latest_due: "2026-12-01T10:05:00.000Z",
      next_run_at: "2026-12-01T10:15:00.000Z",
    });
  });

  it("gives a schedule that cannot be read no next run, so it is not read again until edited", () => {
    expect(planOccurrence(job({ schedule_kind: "cron", schedule_expr: "every morning" }), now, log)).toMatchObject({
      next_run_at: null,
      due_count: 0,
    });
  });
});
