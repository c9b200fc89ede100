import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("cron-validate");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

const job = (fields: Record<string, unknown>) => ({
  project_id: f.projectId,
  name: `Job ${crypto.randomUUID().slice(0, 8)}`,
  schedule_kind: "cron",
  schedule_expr: "0 9 * * 1-5",
  ...fields,
});

/** An operator's create request, as the Schedule page writes it in Backup mode. */
const requestCreate = (fields: Record<string, unknown>) => f.operator.client.from("cron_create_requests").insert(job(fields));

/** Local wall-clock time `minutes` from now in `timeZone`, as an at expression. */
function localAt(minutes: number, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  })
    .format(new Date(Date.now() + minutes * 60_000))
    .replace(" ", "T");
}

/** Applies this project's queued requests until `requestId` is no longer queued (another executor may hold the lock for a moment). */
async function applyUntilDone(table: string, requestId: string): Promise<{ status: string; error: string | null }> {
  let row: { status: string; error: string | null } | undefined;
  await expect
    .poll(async () => {
      await sql.query("select public.apply_cron_requests('validate-test', now(), $1::uuid[])", [[f.projectId]]);
      const { rows } = await sql.query<{ status: string; error: string | null }>(
        `select status, error from public.${table} where id = $1`,
        [requestId],
      );
      row = rows[0];
      return row?.status;
    })
    .not.toBe("queued");
  if (!row) throw new Error("request not found");
  return row;
}

describe("schedule requests are validated when they are written", () => {
  it("refuses a bad cron expression, interval, at time or time zone with a 400 that says what to fix", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ schedule_expr: "0 9 * * MONDAY" }, /"MONDAY".*not a day of week name|not a valid cron expression/],
      [{ schedule_expr: "61 * * * *" }, /61 is out of range for the minute \(0-59\)/],
      [{ schedule_expr: "0 9 L * *" }, /L, W, #, \? are not supported/],
      [{ schedule_expr: "0 0 9 * * *" }, /not a five-field cron expression/],
      [{ schedule_kind: "every", schedule_expr: "30s" }, /not an interval: write a number and a unit, e\.g\. 15m/],
      [{ schedule_kind: "at", schedule_expr: "2026-02-30T09:00" }, /not a date and time that exists/],
      [{ schedule_kind: "at", schedule_expr: "tomorrow" }, /write it like 2026-12-24T09:00/],
      [{ schedule_kind: "at", schedule_expr: localAt(-60, "UTC"), time_zone: "UTC" }, /has already passed: pick a later time/],
      [{ time_zone: "Mars/Base" }, /Unknown time zone "Mars\/Base": use an IANA name such as UTC or Europe\/Berlin/],
      [{ time_zone: "europe/berlin" }, /Unknown time zone "europe\/berlin"/],
      [
        { job_intent: "heartbeat", schedule_kind: "every", schedule_expr: "2h", target_agent_key: "builder" },
        /heartbeat runs every 1 to 1440 minutes, not "2h": write the interval like 15m/,
      ],
    ];
    for (const [fields, message] of cases) {
      const { status, error } = await requestCreate(fields);
      expect({ fields, status, code: error?.code }).toEqual({ fields, status: 400, code: "22023" });
      expect(error?.message).toMatch(message);
    }
    const { rows } = await sql.query("select count(*)::int as n from public.cron_create_requests where project_id = $1", [f.projectId]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("accepts valid schedules in every kind", async () => {
    for (const fields of [
      { schedule_expr: "*/15 8-18 * JAN-MAR mon-fri", time_zone: "Europe/Berlin" },
      { schedule_kind: "every", schedule_expr: "2 hours" },
      { schedule_kind: "at", schedule_expr: localAt(120, "Asia/Tokyo"), time_zone: "Asia/Tokyo" },
    ]) {
      const { status, error } = await requestCreate(fields);
      expect({ fields, status, error }).toEqual({ fields, status: 201, error: null });
    }
  });

  it("checks the schedule a patch leads to, against the job or its queued create request", async () => {
    const { data: created, error } = await f.operator.client
      .from("cron_mirror")
      .insert(job({ schedule_kind: "every", schedule_expr: "1h" }))
      .select("id")
      .single();
    if (error) throw new Error(error.message);
    const patch = (body: Record<string, unknown>, jobId = created.id) =>
      f.operator.client.from("cron_job_patch_requests").insert({ project_id: f.projectId, job_id: jobId, patch: body });

    // The job is an every job: a cron expression alone does not fit it, with its kind it does.
    const wrongKind = await patch({ schedule_expr: "0 9 * * *" });
    expect([wrongKind.status, wrongKind.error?.message]).toEqual([400, expect.stringMatching(/"0 9 \* \* \*" is not an interval/)]);
    expect((await patch({ schedule_kind: "cron", schedule_expr: "0 9 * * *" })).status).toBe(201);
    expect((await patch({ time_zone: "Nowhere/City" })).error?.message).toMatch(/Unknown time zone "Nowhere\/City"/);
    expect((await patch({ missed_policy: "sometimes" })).error?.message).toMatch(/not a missed-run policy: use catch_up_once or skip/);
    expect((await patch({ enabled: "yes" })).error?.message).toMatch(/sets enabled to true or false/);
    expect((await patch({ enabled: false })).status).toBe(201);

    // In Backup the job exists only as a queued create request: the patch is read against it.
    const queuedJobId = crypto.randomUUID();
    expect((await requestCreate({ job_id: queuedJobId, schedule_kind: "every", schedule_expr: "1h" })).status).toBe(201);
    expect((await patch({ schedule_expr: "2h" }, queuedJobId)).status).toBe(201);
    expect((await patch({ schedule_expr: "0 */2 * * *" }, queuedJobId)).error?.message).toMatch(/is not an interval/);
  });

  it("refuses a bad schedule written straight to cron_mirror", async () => {
    const bad = await f.operator.client.from("cron_mirror").insert(job({ schedule_expr: "0 9 * * 8" }));
    expect([bad.status, bad.error?.message]).toEqual([400, expect.stringMatching(/8 is out of range for the day of week \(0-7\)/)]);
  });

  it("fails, with the reason, a request queued before validation or an at time that passed while it waited", async () => {
    // Rows the trigger never saw: written as an older version of the database would have taken them.
    const client = await sql.connect();
    const ids: string[] = [];
    try {
      await client.query("set session_replication_role = replica");
      for (const [kind, expr] of [
        ["cron", "0 9 * * xyz"],
        ["at", localAt(-5, "UTC")],
      ]) {
        const { rows } = await client.query<{ id: string }>(
          "insert into public.cron_create_requests (project_id, name, schedule_kind, schedule_expr) values ($1, $2, $3, $4) returning id",
          [f.projectId, `Old ${kind}`, kind, expr],
        );
        ids.push(rows[0]?.id ?? "");
      }
    } finally {
      await client.query("set session_replication_role = origin");
      client.release();
    }
    const [cronRequest = "", atRequest = ""] = ids;
    expect(await applyUntilDone("cron_create_requests", cronRequest)).toEqual({
      status: "failed",
      error: expect.stringMatching(/"xyz" is not a day of week name \(SUN-SAT\)/),
    });
    expect(await applyUntilDone("cron_create_requests", atRequest)).toEqual({
      status: "failed",
      error: expect.stringMatching(/passed before an executor applied this request: schedule the job again with a later time/),
    });
    const { rows } = await sql.query("select name from public.cron_mirror where project_id = $1 and name like 'Old %'", [f.projectId]);
    expect(rows).toEqual([]);
  });
});
