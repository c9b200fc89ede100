import { describe, expect, it } from "vitest";
import { formatFireTime, previewSchedule } from "./describe-schedule.ts";

const now = new Date("2026-12-01T06:00:00Z");

describe("previewSchedule", () => {
  it("says a weekday cron in words with its time zone and lists the next five times", () => {
    const preview = previewSchedule({ kind: "cron", expr: "0 9 * * 1-5", timeZone: "Europe/Berlin" }, now);
    expect(preview.ok && preview.words).toBe("At 09:00, Monday through Friday (Europe/Berlin)");
    expect(preview.ok && preview.next.map((d) => formatFireTime(d, "Europe/Berlin"))).toEqual([
      "Tue 1 Dec, 09:00",
      "Wed 2 Dec, 09:00",
      "Thu 3 Dec, 09:00",
      "Fri 4 Dec, 09:00",
      "Mon 7 Dec, 09:00",
    ]);
  });

  it("says intervals and one-off times in words", () => {
    expect(previewSchedule({ kind: "every", expr: "2h", timeZone: "UTC" }, now)).toMatchObject({ ok: true, words: "every 2 hours" });
    expect(previewSchedule({ kind: "at", expr: "2026-12-24T09:00", timeZone: "UTC" }, now)).toMatchObject({
      ok: true,
      words: "Once, at 2026-12-24 09:00 (UTC)",
    });
  });

  it("explains what is wrong instead of previewing", () => {
    expect(previewSchedule({ kind: "cron", expr: "0 9 * *", timeZone: "UTC" }, now)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("five-field"),
    });
    expect(previewSchedule({ kind: "cron", expr: "0 9 * * MONDAY", timeZone: "UTC" }, now)).toMatchObject({ ok: false });
    const past = { kind: "at", expr: "2026-11-30T09:00", timeZone: "UTC" } as const;
    expect(previewSchedule(past, now, 5, { forNewJob: true })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("already passed"),
    });
    // An at job that already ran still reads in words.
    expect(previewSchedule(past, now, 0)).toMatchObject({ ok: true });
  });
});
