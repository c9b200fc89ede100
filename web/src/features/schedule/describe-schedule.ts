import type { TScheduleKind } from "@mission-control/shared/schemas";
import { describeScheduleProblem, nextFireTimes, parseEvery } from "@mission-control/shared/schemas";
import cronstrue from "cronstrue";

/** What the expression editor shows under the fields: the schedule in words and its next fire times, or what is wrong. */
export type TSchedulePreview = { ok: true; words: string; next: Date[] } | { ok: false; problem: string };

function everyInWords(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes % 1_440 === 0) return minutes === 1_440 ? "every day" : `every ${minutes / 1_440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return minutes === 1 ? "every minute" : `every ${minutes} minutes`;
}

/**
 * A schedule in plain words with its time zone ("At 09:00, Monday through Friday (Europe/Berlin)")
 * and the next `count` fire times after `now`, from the same reader the executor uses. `forNewJob`:
 * an at time that has passed is a problem (an existing at job that already ran is not).
 */
export function previewSchedule(
  spec: { kind: TScheduleKind; expr: string; timeZone: string },
  now: Date,
  count = 5,
  options: { forNewJob?: boolean } = {},
): TSchedulePreview {
  const problem = describeScheduleProblem(spec);
  if (problem) return { ok: false, problem };
  const next = nextFireTimes(spec, now, Math.max(count, 1)).slice(0, count);
  // A new job: the database refuses an at time that has passed (it would never run), so say so first.
  if (options.forNewJob && spec.kind === "at" && next.length === 0)
    return { ok: false, problem: `${spec.expr.trim()} has already passed: pick a later time.` };
  switch (spec.kind) {
    case "every":
      return { ok: true, words: everyInWords(parseEvery(spec.expr) ?? 60_000), next };
    case "cron":
      return { ok: true, words: `${cronstrue.toString(spec.expr.trim(), { use24HourTimeFormat: true })} (${spec.timeZone})`, next };
    case "at":
      return { ok: true, words: `Once, at ${spec.expr.trim().replace("T", " ")} (${spec.timeZone})`, next };
  }
}

/** A fire time in the job's time zone: "Mon 1 Dec, 09:00". */
export function formatFireTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(at);
}
