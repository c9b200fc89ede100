import { Cron } from "croner";
import type { TScheduleKind } from "../schemas/column-enums.ts";
import { describeCronFieldsProblem } from "./describe-cron-fields-problem.ts";

/** A job's schedule as cron_mirror stores it. */
export type TScheduleSpec = { kind: TScheduleKind; expr: string; timeZone: string };

/** The due times of a job between its next run and now, and the first time after now. */
export type TDueFireTimes = {
  /** How many fire times are due (at most `cap`; more were due when `capped`). */
  dueCount: number;
  capped: boolean;
  /** The earliest and the latest due time (null when none is due). */
  firstDue: Date | null;
  latestDue: Date | null;
  /** The first fire time after now (null: the job never fires again). */
  next: Date | null;
};

const EVERY_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// Spaces and tabs only (not \s): public.describe_schedule_expression_problem reads the same.
const EVERY_PATTERN = /^[ \t]*([0-9]{1,5})[ \t]*(m|min|minutes?|h|hours?|d|days?)[ \t]*$/i;
const AT_PATTERN =
  /^[ \t]*([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,3})?)?(Z|[+-]([0-9]{2}):([0-9]{2}))?[ \t]*$/;

/** True when an at expression names a date and time that exists (from 1970; offsets up to ±23:59). */
function isRealAt(match: RegExpExecArray): boolean {
  const part = (i: number) => Number(match[i] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return (
    year >= 1970 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    part(4) <= 23 &&
    part(5) <= 59 &&
    part(6) <= 59 &&
    part(8) <= 23 &&
    part(9) <= 59
  );
}

/** Shortest and longest `every` interval. */
export const EVERY_LIMITS_MS = { min: 60_000, max: 366 * 86_400_000 } as const;

/** The interval of an `every` expression ("15m", "2h", "1d", "30 minutes") in ms, or null when it is not one. */
export function parseEvery(expr: string): number | null {
  const match = EVERY_PATTERN.exec(expr);
  if (!match?.[1] || !match[2]) return null;
  const unit = match[2].toLowerCase()[0] as keyof typeof EVERY_UNITS_MS;
  const ms = Number(match[1]) * EVERY_UNITS_MS[unit];
  return ms >= EVERY_LIMITS_MS.min && ms <= EVERY_LIMITS_MS.max ? ms : null;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(spec: TScheduleSpec): Cron {
  return spec.kind === "cron"
    ? new Cron(spec.expr.trim(), { timezone: spec.timeZone, mode: "5-part" })
    : new Cron(spec.expr.trim(), { timezone: spec.timeZone });
}

/**
 * What is wrong with a schedule, in a sentence that says how to fix it, or null when it is valid.
 * `every` takes "<n>m", "<n>h" or "<n>d" (1 minute to 366 days); `cron` five fields read in the
 * time zone (the grammar of describeCronFieldsProblem); `at` one local date-time
 * ("2026-12-24T09:00", read in the time zone) or an instant with an offset ("2026-12-24T08:00:00Z").
 * The database restates these rules (public.describe_schedule_expression_problem) and refuses
 * what they refuse; its time zones are those of pg_timezone_names, a subset of what Intl reads.
 */
export function describeScheduleProblem(spec: TScheduleSpec): string | null {
  if (!isTimeZone(spec.timeZone)) return `Unknown time zone "${spec.timeZone}": use an IANA name such as UTC or Europe/Berlin.`;
  switch (spec.kind) {
    case "every":
      return parseEvery(spec.expr) === null
        ? `"${spec.expr}" is not an interval: write a number and a unit, e.g. 15m, 2h or 1d (1 minute to 366 days).`
        : null;
    case "cron": {
      // Only the grammar every reader agrees on (see describe-cron-fields-problem.ts), then croner itself.
      const fields = describeCronFieldsProblem(spec.expr);
      if (fields) return fields;
      try {
        cronOf(spec);
        return null;
      } catch (err) {
        return `"${spec.expr}" is not a five-field cron expression (minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5): ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    case "at": {
      const match = AT_PATTERN.exec(spec.expr);
      if (!match) {
        return `"${spec.expr}" is not a date and time: write it like 2026-12-24T09:00 (read in the job's time zone) or 2026-12-24T08:00:00Z.`;
      }
      if (!isRealAt(match)) {
        return `"${spec.expr}" is not a date and time that exists: check the year (from 1970), month, day, hour (00-23) and minute, e.g. 2026-12-24T09:00.`;
      }
      try {
        cronOf(spec);
        return null;
      } catch (err) {
        return `"${spec.expr}" is not a date and time: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
  }
}

/** Throws the problem of an invalid schedule (callers that already validated never see it). */
function assertValid(spec: TScheduleSpec): void {
  const problem = describeScheduleProblem(spec);
  if (problem) throw new Error(problem);
}

/**
 * The next `count` fire times strictly after `after`. An `every` job fires every interval from
 * `after` (its chain continues from the previous fire time); cron and at follow the wall clock of
 * the time zone (a time skipped by a DST change fires once at the first valid time after it; a
 * repeated one fires once).
 */
export function nextFireTimes(spec: TScheduleSpec, after: Date, count: number): Date[] {
  assertValid(spec);
  const times: Date[] = [];
  if (spec.kind === "every") {
    const ms = parseEvery(spec.expr) ?? EVERY_LIMITS_MS.min;
    for (let i = 1; i <= count; i++) times.push(new Date(after.getTime() + i * ms));
    return times;
  }
  const cron = cronOf(spec);
  let cursor: Date | null = after;
  while (times.length < count && cursor) {
    cursor = cron.nextRun(cursor);
    if (cursor) times.push(cursor);
  }
  return times;
}

/**
 * The fire times due at `now` for a job whose next run was `nextRunAt` (itself a fire time), and
 * the first fire time after now. Counts at most `cap` (then `capped` is true; the latest due time
 * and the next one are still exact).
 */
export function collectDueFireTimes(spec: TScheduleSpec, nextRunAt: Date, now: Date, cap = 100_000): TDueFireTimes {
  assertValid(spec);
  if (nextRunAt.getTime() > now.getTime()) return { dueCount: 0, capped: false, firstDue: null, latestDue: null, next: nextRunAt };
  if (spec.kind === "every") {
    const ms = parseEvery(spec.expr) ?? EVERY_LIMITS_MS.min;
    const due = Math.floor((now.getTime() - nextRunAt.getTime()) / ms) + 1;
    const latest = new Date(nextRunAt.getTime() + (due - 1) * ms);
    return {
      dueCount: Math.min(due, cap),
      capped: due > cap,
      firstDue: nextRunAt,
      latestDue: latest,
      next: new Date(latest.getTime() + ms),
    };
  }
  const cron = cronOf(spec);
  let count = 1;
  let latest = nextRunAt;
  for (;;) {
    const following = cron.nextRun(latest);
    if (!following || following.getTime() > now.getTime()) {
      return { dueCount: count, capped: false, firstDue: nextRunAt, latestDue: latest, next: following };
    }
    if (count >= cap) {
      // previousRuns is strictly before its reference: one ms past now includes now itself.
      const last = cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? following;
      return { dueCount: cap, capped: true, firstDue: nextRunAt, latestDue: last, next: cron.nextRun(now) };
    }
    count += 1;
    latest = following;
  }
}
