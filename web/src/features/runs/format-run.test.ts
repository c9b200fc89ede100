import { describe, expect, it } from "vitest";
import { formatElapsed, formatRunStep, formatRunTokens, formatTokenCount, runElapsedMs } from "./format-run.ts";

describe("formatElapsed", () => {
  it("says seconds, then minutes and seconds, then hours and minutes, then days", () => {
    expect(formatElapsed(8_400)).toBe("8 s");
    expect(formatElapsed(185_000)).toBe("3 min 05 s");
    expect(formatElapsed(3_720_000)).toBe("1 h 02 min");
    expect(formatElapsed(52 * 3_600_000)).toBe("2 d 4 h");
  });

  it("never shows a negative time (a clock a little ahead of the database)", () => {
    expect(formatElapsed(-2_000)).toBe("0 s");
  });
});

describe("runElapsedMs", () => {
  const created = "2026-12-01T10:00:00Z";
  it("counts from the start to now while the run is running", () => {
    const run = { created_at: created, started_at: "2026-12-01T10:00:10Z", finished_at: null };
    expect(runElapsedMs(run, Date.parse("2026-12-01T10:01:10Z"))).toBe(60_000);
  });

  it("counts from its creation while it waits in the queue", () => {
    expect(runElapsedMs({ created_at: created, started_at: null, finished_at: null }, Date.parse("2026-12-01T10:00:05Z"))).toBe(5_000);
  });

  it("stops at the end of a finished run", () => {
    const run = { created_at: created, started_at: "2026-12-01T10:00:10Z", finished_at: "2026-12-01T10:00:40Z" };
    expect(runElapsedMs(run, Date.parse("2026-12-02T00:00:00Z"))).toBe(30_000);
  });
});

describe("token and step formatting", () => {
  it("writes token counts compactly", () => {
    expect(formatTokenCount(850)).toBe("850");
    expect(formatTokenCount(12_340)).toBe("12.3K");
    expect(formatRunTokens({ input_tokens: 12_340, output_tokens: 1_100 })).toBe("12.3K in · 1.1K out");
    expect(formatRunTokens({ input_tokens: 0, output_tokens: 0 })).toBe("—");
  });

  it("shows the step counter with what the agent does, or what the run waits for", () => {
    const base = { status: "running" as const, current_step: "reading README.md", step_count: 3, max_steps: 12 };
    expect(formatRunStep(base)).toBe("step 3/12 · reading README.md");
    expect(formatRunStep({ ...base, status: "queued", current_step: "", step_count: 0 })).toBe("waiting for the executor");
    expect(formatRunStep({ ...base, status: "needs_approval", current_step: "", step_count: 0 })).toBe("waiting for a decision");
  });
});
