import { describe, expect, it } from "vitest";
import { collectDueFireTimes, describeScheduleProblem, nextFireTimes, parseEvery } from "./compute-fire-times.ts";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("schedule fire times", () => {
  it("reads every intervals and refuses what is not one", () => {
    expect(parseEvery("15m")).toBe(900_000);
    expect(parseEvery("2 hours")).toBe(7_200_000);
    expect(parseEvery("1d")).toBe(86_400_000);
    expect(parseEvery("30s")).toBeNull();
    expect(parseEvery("0m")).toBeNull();
    expect(describeScheduleProblem({ kind: "every", expr: "soon", timeZone: "UTC" })).toMatch(/e\.g\. 15m/);
  });

  it("chains every fire times from the previous one", () => {
    const after = new Date("2026-12-01T10:00:00Z");
    expect(iso(nextFireTimes({ kind: "every", expr: "15m", timeZone: "UTC" }, after, 3))).toEqual([
      "2026-12-01T10:15:00.000Z",
      "2026-12-01T10:30:00.000Z",
      "2026-12-01T10:45:00.000Z",
    ]);
  });

  it("reads a cron expression in its time zone: weekdays at 09:00 Berlin across the spring DST change", () => {
    const spec = { kind: "cron" as const, expr: "0 9 * * 1-5", timeZone: "Europe/Berlin" };
    // Friday 27 March 2026 is CET (UTC+1), Monday 30 March CEST (UTC+2).
    expect(iso(nextFireTimes(spec, new Date("2026-03-26T12:00:00Z"), 3))).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
  });

  it("fires a skipped local time once after it and a repeated one once", () => {
    const spec = { kind: "cron" as const, expr: "30 2 * * *", timeZone: "Europe/Berlin" };
    // 02:30 does not exist on 29 March 2026 in Berlin: it fires once, at 03:00 CEST.
    expect(iso(nextFireTimes(spec, new Date("2026-03-28T00:00:00Z"), 3))).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    // 02:30 happens twice on 25 October 2026: it fires once.
    expect(iso(nextFireTimes(spec, new Date("2026-10-24T00:00:00Z"), 3))).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("fires an at job once, in its time zone, and never again", () => {
    const spec = { kind: "at" as const, expr: "2026-12-24T09:00", timeZone: "America/New_York" };
    expect(iso(nextFireTimes(spec, new Date("2026-12-01T00:00:00Z"), 5))).toEqual(["2026-12-24T14:00:00.000Z"]);
    expect(nextFireTimes(spec, new Date("2026-12-24T14:00:00Z"), 1)).toEqual([]);
    expect(describeScheduleProblem({ kind: "at", expr: "tomorrow", timeZone: "UTC" })).toMatch(/2026-12-24T09:00/);
  });

  it("refuses six-field cron expressions and unknown time zones with what to write instead", () => {
    expect(describeScheduleProblem({ kind: "cron", expr: "0 0 9 * * *", timeZone: "UTC" })).toMatch(/five-field/);
    expect(describeScheduleProblem({ kind: "cron", expr: "0 9 * * *", timeZone: "Mars/Base" })).toMatch(/Unknown time zone/);
    expect(describeScheduleProblem({ kind: "cron", expr: "0 9 * * *", timeZone: "Asia/Tokyo" })).toBeNull();
  });

  it("counts the due times after a pause of the executors and finds the next one", () => {
    const every = collectDueFireTimes(
      { kind: "every", expr: "10m", timeZone: "UTC" },
      new Date("2026-12-01T10:00:00Z"),
      new Date("2026-12-01T10:35:00Z"),
    );
    expect(every).toMatchObject({ dueCount: 4, capped: false });
    expect(every.latestDue?.toISOString()).toBe("2026-12-01T10:30:00.000Z");
    expect(every.next?.toISOString()).toBe("2026-12-01T10:40:00.000Z");

    const cron = { kind: "cron" as const, expr: "0 * * * *", timeZone: "Asia/Kolkata" };
    const hourly = collectDueFireTimes(cron, new Date("2026-12-01T00:30:00Z"), new Date("2026-12-01T05:30:00Z"));
    expect(hourly).toMatchObject({ dueCount: 6, capped: false });
    expect(hourly.latestDue?.toISOString()).toBe("2026-12-01T05:30:00.000Z");
    expect(hourly.next?.toISOString()).toBe("2026-12-01T06:30:00.000Z");

    const capped = collectDueFireTimes(cron, new Date("2026-12-01T00:30:00Z"), new Date("2026-12-02T00:00:00Z"), 5);
    expect(capped).toMatchObject({ dueCount: 5, capped: true });
    expect(capped.latestDue?.toISOString()).toBe("2026-12-01T23:30:00.000Z");
    expect(capped.next?.toISOString()).toBe("2026-12-02T00:30:00.000Z");

    const notYet = collectDueFireTimes(cron, new Date("2026-12-01T06:30:00Z"), new Date("2026-12-01T05:30:00Z"));
    expect(notYet).toMatchObject({ dueCount: 0, firstDue: null });
  });
});
