import { describeScheduleProblem, isTimeZone, type TScheduleSpec } from "@mission-control/shared/schemas";
import { sqlPool } from "@mission-control/supabase/testing";
import { Cron } from "croner";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The database cannot ask croner, so it restates the product's schedule rules in SQL
// (public.describe_schedule_expression_problem). This runs the same expressions through the
// product's reader (shared describeScheduleProblem: the grammar, then croner), croner alone, and
// the database, and asserts that they agree.

let sql: pg.Pool;

beforeAll(() => {
  sql = sqlPool();
});
afterAll(async () => {
  await sql.end();
});

/** The database's verdict on each expression of `kind`: true when valid. */
async function sqlAccepts(kind: string, exprs: readonly string[]): Promise<boolean[]> {
  const { rows } = await sql.query<{ ok: boolean }>(
    "select public.describe_schedule_expression_problem($1, e) is null as ok from unnest($2::text[]) with ordinality as x(e, n) order by n",
    [kind, exprs],
  );
  return rows.map((row) => row.ok);
}

const productAccepts = (kind: TScheduleSpec["kind"], expr: string) => describeScheduleProblem({ kind, expr, timeZone: "UTC" }) === null;

function cronerAccepts(expr: string): boolean {
  try {
    new Cron(expr.trim(), { timezone: "UTC", mode: "5-part" });
    return true;
  } catch {
    return false;
  }
}

/** Expressions where the product and the database disagree, with both verdicts (empty when they agree). */
async function disagreements(kind: TScheduleSpec["kind"], exprs: readonly string[]) {
  const inSql = await sqlAccepts(kind, exprs);
  return exprs.map((expr, i) => ({ expr, product: productAccepts(kind, expr), sql: inSql[i] })).filter((row) => row.product !== row.sql);
}

const VALID_CRON = [
  "* * * * *",
  "0 9 * * 1-5",
  "*/15 * * * *",
  "0 0 1 1 *",
  "30 2 * * *",
  "0 9 * * MON-FRI",
  "0 9 * * mon-fri",
  "0 9 * * Mon,Wed,Fri",
  "0 9 * * SAT-SUN",
  "0 9 * * MON-SUN",
  "0 9 * * SUN",
  "0 9 * * 7",
  "0 9 * * 0-7",
  "0 9 * * 1-7/2",
  "0 9 * * */7",
  "0 12 1 JAN-MAR *",
  "0 12 1 jan,jul,DEC *",
  "0 12 1 */3 *",
  "0-59/60 * * * *",
  "*/60 */24 */31 */12 *",
  "0,15,30,45 8-18 * * *",
  "5 4 * * *",
  "05 04 01 01 0",
  "59 23 31 12 6",
  "0 8-18/2 * * 1-5",
  "  0 9 * * 1-5  ",
  "0\t9\t*\t*\t1-5",
  "0   9 * * 1-5",
  "10-20/5,45 * * * *",
  "0 0 29 2 *",
];

const INVALID_CRON = [
  "",
  "   ",
  "* * * *",
  "* * * * * *",
  "0 0 9 * * *",
  "60 * * * *",
  "* 24 * * *",
  "* * 0 * *",
  "* * 32 * *",
  "* * * 0 *",
  "* * * 13 *",
  "* * * * 8",
  "*/0 * * * *",
  "*/61 * * * *",
  "* */25 * * *",
  "* * * * */8",
  "5/15 * * * *",
  "/5 * * * *",
  "5-1 * * * *",
  "* * * * FRI-MON",
  "* * * DEC-JAN *",
  "1-2-3 * * * *",
  "1,,2 * * * *",
  "1, * * * *",
  ",1 * * * *",
  "*-5 * * * *",
  "*/5/2 * * * *",
  "0 9 L * *",
  "0 9 LW * *",
  "0 9 15W * *",
  "0 9 * * 5L",
  "0 9 * * FRI#2",
  "0 9 ? * MON",
  "0 9 * * +MON",
  "@daily",
  "@hourly",
  "@reboot",
  "0 9 * * MONDAY",
  "0 9 * JANUARY *",
  "0 9 * * sunmon",
  "0 9 * jan1 *",
  "MON 9 * * *",
  "0 9 * * 1-5\n",
  "\n0 9 * * 1-5",
  "0\u00a09 * * 1-5",
  "\u00a00 9 * * 1-5",
  "100 * * * *",
  "000 * * * *",
  "-1 * * * *",
  "x * * * *",
  "0 9 * * 1–5",
];

/** A deterministic stream of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FIELD_VALUES = [
  ["0", "5", "30", "59", "00", "07"],
  ["0", "9", "12", "23", "08"],
  ["1", "15", "28", "31", "01"],
  ["1", "6", "12", "jan", "Mar", "DEC"],
  ["0", "1", "5", "7", "mon", "FRI", "sun", "Sat"],
];
const EDGE_VALUES = ["60", "24", "32", "13", "8", "0", "xyz", "mo", "monday", "100"];
const JUNK = ["L", "?", "W", "5W", "2#1", "5L", "", "-", "1-", "-1", "1/5", "/", "*-1", "@daily", "+1", "1.5", "*/", "LW"];

/** A cron expression built field by field: mostly well-formed items, some edge values, some of what croner reads but the product does not. */
function randomCron(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const field = (values: readonly string[]) => {
    const value = () => (random() < 0.9 ? pick(values) : pick(EDGE_VALUES));
    const item = () => {
      const roll = random();
      if (roll < 0.25) return "*";
      if (roll < 0.4) return `*/${pick(["0", "1", "2", "5", "7", "12", "13", "24", "31", "60", "61"])}`;
      if (roll < 0.65) return value();
      if (roll < 0.82) return `${value()}-${value()}`;
      if (roll < 0.95) return `${value()}-${value()}/${pick(["0", "1", "2", "3", "8", "61"])}`;
      return pick(JUNK);
    };
    return Array.from({ length: random() < 0.7 ? 1 : 2 + Math.floor(random() * 2) }, item).join(",");
  };
  const fields = FIELD_VALUES.map(field);
  const shape = random();
  if (shape < 0.05) fields.pop();
  else if (shape < 0.1) fields.push("*");
  return fields.join(pick([" ", " ", " ", "  ", "\t"]));
}

describe("schedule validation in SQL and in the product", () => {
  it("accepts and refuses the same cron expressions, and croner reads every one the product accepts", async () => {
    expect(await disagreements("cron", VALID_CRON)).toEqual([]);
    expect(await disagreements("cron", INVALID_CRON)).toEqual([]);
    expect(VALID_CRON.filter((expr) => !productAccepts("cron", expr))).toEqual([]);
    expect(INVALID_CRON.filter((expr) => productAccepts("cron", expr))).toEqual([]);
    expect(VALID_CRON.filter((expr) => !cronerAccepts(expr))).toEqual([]);
    // What croner would read but the product refuses, on purpose (not portable, not in the SQL rules).
    expect(["0 9 L * *", "0 9 * * FRI#2", "0 9 ? * MON", "@daily"].every(cronerAccepts)).toBe(true);
  });

  it("agrees on 4,000 generated cron expressions", async () => {
    const random = seeded(20261202);
    const exprs = Array.from({ length: 4_000 }, () => randomCron(random));
    const accepted = exprs.filter((expr) => productAccepts("cron", expr));
    // The corpus exercises both answers.
    expect(accepted.length).toBeGreaterThan(200);
    expect(exprs.length - accepted.length).toBeGreaterThan(200);
    expect(await disagreements("cron", exprs)).toEqual([]);
    expect(accepted.filter((expr) => !cronerAccepts(expr))).toEqual([]);
  });

  it("agrees on every intervals", async () => {
    const valid = ["1m", "15m", "90 minutes", "2h", "2 hours", "1 hour", "1d", "366d", "99999m", "1 MIN", " 30m ", "\t5\tm\t", "1D"];
    const invalid = [
      "",
      "0m",
      "30s",
      "367d",
      "8785h",
      "999999m",
      "527040m",
      "15",
      "m",
      "15 m s",
      "1.5h",
      "-5m",
      "15mins",
      "1w",
      "\n15m",
      "15m\n",
      "٣m",
    ];
    expect(await disagreements("every", [...valid, ...invalid])).toEqual([]);
    expect(valid.filter((expr) => !productAccepts("every", expr))).toEqual([]);
    expect(invalid.filter((expr) => productAccepts("every", expr))).toEqual([]);
  });

  it("agrees on at times", async () => {
    const valid = [
      "2026-12-24T09:00",
      "2026-12-24T09:00:30",
      "2026-12-24T09:00:30.250",
      "2026-12-24T08:00:00Z",
      "2026-12-24T08:00Z",
      "2026-12-24T09:00:00+01:00",
      "2026-12-24T03:00:00-05:00",
      "2028-02-29T00:00",
      "2000-02-29T23:59:59",
      " 2026-12-24T09:00 ",
      "2026-03-29T02:30",
    ];
    const invalid = [
      "",
      "tomorrow",
      "2026-12-24",
      "2026-12-24 09:00",
      "2026-12-24t09:00",
      "2026-12-24T9:00",
      "2026-02-29T09:00",
      "2026-02-30T09:00",
      "2026-04-31T09:00",
      "2026-13-01T09:00",
      "2026-00-10T09:00",
      "2026-12-00T09:00",
      "2026-12-24T24:00",
      "2026-12-24T09:60",
      "2026-12-24T09:00:60",
      "2026-12-24T09:00+24:00",
      "2026-12-24T09:00+01",
      "2026-12-24T09:00 garbage",
      "1969-12-31T23:59",
      "2026-12-24T09:00z",
      "2026-12-24T09:00:00.1234",
      "2026-12-24T09:00\n",
    ];
    expect(await disagreements("at", [...valid, ...invalid])).toEqual([]);
    expect(valid.filter((expr) => !productAccepts("at", expr))).toEqual([]);
    expect(invalid.filter((expr) => productAccepts("at", expr))).toEqual([]);
  });

  it("accepts only time zones the executor can read, and the common ones", async () => {
    const { rows } = await sql.query<{ name: string; ok: boolean }>(
      // Every third name: each check reads the time zone files (~10 ms).
      "select name, public.is_known_time_zone(name) as ok from pg_catalog.pg_timezone_names where abs(hashtext(name)) % 3 = 0",
    );
    const accepted = rows.filter((row) => row.ok).map((row) => row.name);
    expect(accepted.length).toBeGreaterThan(100);
    expect(accepted.filter((name) => !isTimeZone(name))).toEqual([]);
    const common = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo"];
    const { rows: known } = await sql.query<{ ok: boolean }>(
      "select public.is_known_time_zone(z) as ok from unnest($1::text[]) with ordinality as x(z, n) order by n",
      [[...common, "Mars/Base", "europe/berlin", "posix/Europe/Berlin", "Factory", ""]],
    );
    expect(known.map((row) => row.ok)).toEqual([...common.map(() => true), false, false, false, false, false]);
  });
});
