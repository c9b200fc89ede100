/**
 * The five-field cron expressions the product accepts: what the Schedule page, the executor and the
 * database all agree on. Croner reads more (L, W, #, ?, +, @nicknames, "5/15" with sloppy ranges);
 * the database cannot ask croner, so the product accepts only this grammar, which croner reads the
 * same way, and the SQL validator (`public.describe_schedule_problem`) restates it rule for rule
 * (`supabase/tests/schedule/validate-schedule.test.ts` runs a corpus through both).
 *
 * Five fields separated by spaces or tabs (leading and trailing ones allowed). A field is a list
 * (`,`) of items; an item is `*`, `*\/step`, a value, a range `a-b` (a ≤ b) or `a-b/step`. Values
 * are numbers of one or two digits or, in the month and day-of-week fields, three-letter English
 * names in any case (JAN–DEC, SUN–SAT; SUN at the end of a range is 7). Bounds: minute 0–59,
 * hour 0–23, day of month 1–31, month 1–12, day of week 0–7 (0 and 7 are Sunday). A step is 1 up to
 * the number of values croner keeps for the field (60, 24, 31, 12, 7).
 */
export type TCronField = { name: string; min: number; max: number; maxStep: number; names: readonly string[] | null };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** The five fields in order. */
export const CRON_FIELDS: readonly TCronField[] = [
  { name: "minute", min: 0, max: 59, maxStep: 60, names: null },
  { name: "hour", min: 0, max: 23, maxStep: 24, names: null },
  { name: "day of month", min: 1, max: 31, maxStep: 31, names: null },
  { name: "month", min: 1, max: 12, maxStep: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, maxStep: 7, names: DAYS },
];

const SHAPE = /^[ \t]*[^ \t]+(?:[ \t]+[^ \t]+){4}[ \t]*$/;
const ITEM = /^(?:(\*)|([0-9]{1,2}|[a-z]{3})(?:-([0-9]{1,2}|[a-z]{3}))?)(?:\/([0-9]{1,2}))?$/i;
const EXAMPLE = "e.g. 0 9 * * 1-5 (09:00 on weekdays) or */15 * * * *";

/** A value of `field` ("7", "mar", "SUN"), or a sentence saying why it is not one. */
function readFieldValue(raw: string, field: TCronField, atRangeEnd: boolean): number | string {
  if (/^[0-9]+$/.test(raw)) {
    const value = Number(raw);
    return value >= field.min && value <= field.max ? value : `${raw} is out of range for the ${field.name} (${field.min}-${field.max})`;
  }
  const index = field.names?.indexOf(raw) ?? -1;
  if (!field.names) return `names such as "${raw}" are only allowed in the month and day-of-week fields`;
  if (index < 0) return `"${raw}" is not a ${field.name} name (${field.names[0]?.toUpperCase()}-${field.names.at(-1)?.toUpperCase()})`;
  // Months are 1-12; days 0-6, and SUN closing a range is 7 (MON-SUN), as croner reads it.
  return field.names === MONTHS ? index + 1 : atRangeEnd && index === 0 ? 7 : index;
}

/** What is wrong with one item of a field, or null. */
function describeItemProblem(item: string, field: TCronField): string | null {
  // Only ASCII letters match, so lower-casing the names afterwards reads them as SQL lower() does.
  const match = ITEM.exec(item);
  if (!match) {
    return item === ""
      ? `the ${field.name} field has an empty list item`
      : `"${item}" in the ${field.name} field is not *, a value, a range a-b or a step */n or a-b/n (L, W, #, ? are not supported)`;
  }
  const [, star, from, to, step] = match;
  if (step !== undefined) {
    const n = Number(step);
    if (n < 1 || n > field.maxStep) return `the step /${step} in the ${field.name} field must be 1 to ${field.maxStep}`;
    if (!star && to === undefined) return `"${item}" steps from a single value: write */${step} or a range such as 0-30/${step}`;
  }
  if (star) return null;
  const low = readFieldValue((from ?? "").toLowerCase(), field, false);
  if (typeof low === "string") return low;
  if (to === undefined) return null;
  const high = readFieldValue(to.toLowerCase(), field, true);
  if (typeof high === "string") return high;
  return low > high ? `the range ${item} in the ${field.name} field goes backwards: write the smaller value first` : null;
}

/**
 * What is wrong with a five-field cron expression, in words that say how to fix it, or null when
 * the product accepts it (see the grammar above).
 */
export function describeCronFieldsProblem(expr: string): string | null {
  if (!SHAPE.test(expr)) {
    return `"${expr}" is not a five-field cron expression: write minute hour day-of-month month day-of-week separated by spaces, ${EXAMPLE}.`;
  }
  const fields = expr.replace(/^[ \t]+|[ \t]+$/g, "").split(/[ \t]+/);
  for (const [i, field] of CRON_FIELDS.entries()) {
    for (const item of (fields[i] ?? "").split(",")) {
      const problem = describeItemProblem(item, field);
      if (problem) return `"${expr}" is not a valid cron expression: ${problem}; ${EXAMPLE}.`;
    }
  }
  return null;
}
