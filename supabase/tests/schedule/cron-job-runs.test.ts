import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let jobId: string;

async function insertRun(status: string, scheduledFor: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    "insert into public.cron_job_runs (job_id, project_id, scheduled_for, status, started_at) values ($1, $2, $3, $4, now()) returning id",
    [jobId, f.projectId, scheduledFor, status],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error("no run inserted");
  return id;
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("cron-runs");
  const { data, error } = await f.operator.client
    .from("cron_mirror")
    .insert({
      project_id: f.projectId,
      name: "Nightly report",
      schedule_kind: "cron",
      schedule_expr: "0 2 * * *",
      time_zone: "Europe/Berlin",
    })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  jobId = data.id;
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

describe("scheduled job runs", () => {
  it("lets members read a job's history and nobody but the executor write it", async () => {
    const runId = await insertRun("running", "2026-12-01T01:00:00Z");
    const read = await f.viewer.client.from("cron_job_runs").select("id, status").eq("id", runId);
    expect(read.data).toEqual([{ id: runId, status: "running" }]);
    const outsider = await f.outsider.client.from("cron_job_runs").select("id").eq("id", runId);
    expect(outsider.data).toEqual([]);

    const inserted = await f.operator.client
      .from("cron_job_runs")
      .insert({ job_id: jobId, project_id: f.projectId, scheduled_for: "2026-12-02T01:00:00Z", status: "queued" });
    expect(inserted.error?.code).toBe("42501");
    const updated = await f.owner.client.from("cron_job_runs").update({ status: "succeeded" }).eq("id", runId).select("id");
    expect(updated.data ?? []).toEqual([]);
    const deleted = await f.owner.client.from("cron_job_runs").delete().eq("id", runId).select("id");
    expect(deleted.data ?? []).toEqual([]);
    const { rows } = await sql.query("select status from public.cron_job_runs where id = $1", [runId]);
    expect(rows).toEqual([{ status: "running" }]);
  });

  it("allows one row per job and scheduled time", async () => {
    await insertRun("running", "2026-12-03T01:00:00Z");
    await expect(insertRun("queued", "2026-12-03T01:00:00Z")).rejects.toMatchObject({ code: "23505" });
  });

  it("enforces the state machine and freezes final rows, even for the service role", async () => {
    const runId = await insertRun("running", "2026-12-04T01:00:00Z");
    const done = await serviceClient()
      .from("cron_job_runs")
      .update({ status: "succeeded" })
      .eq("id", runId)
      .select("status, finished_at, duration_ms")
      .single();
    expect(done.error).toBeNull();
    expect(done.data?.status).toBe("succeeded");
    expect(done.data?.finished_at).not.toBeNull();
    expect(done.data?.duration_ms).toBeGreaterThanOrEqual(0);

    const back = await serviceClient().from("cron_job_runs").update({ status: "running" }).eq("id", runId);
    expect(back.error?.code).toBe("23514");
    const moved = await serviceClient().from("cron_job_runs").update({ scheduled_for: "2026-12-05T01:00:00Z" }).eq("id", runId);
    expect(moved.error?.code).toBe("23514");
    await expect(insertRun("succeeded", "2026-12-06T01:00:00Z")).rejects.toMatchObject({ code: "23514" });
    await expect(sql.query("delete from public.cron_job_runs where id = $1", [runId])).rejects.toMatchObject({ code: "42501" });
  });

  it("refuses an unknown time zone with a sentence that names a valid one", async () => {
    const { error } = await f.operator.client
      .from("cron_mirror")
      .insert({ project_id: f.projectId, name: "Bad zone", schedule_kind: "cron", schedule_expr: "0 9 * * *", time_zone: "Mars/Base" });
    expect(error?.code).toBe("22023");
    expect(error?.message).toContain('Unknown time zone "Mars/Base"');
    expect(error?.hint).toContain("Europe/Berlin");
  });

  it("recomputes the next run after a schedule change or a resume, and a paused job has none", async () => {
    await sql.query("update public.cron_mirror set next_run_at = now() + interval '1 hour', scheduled_rev = schedule_rev where id = $1", [
      jobId,
    ]);
    const before = await sql.query<{ schedule_rev: number }>("select schedule_rev from public.cron_mirror where id = $1", [jobId]);
    const rev = before.rows[0]?.schedule_rev ?? 0;

    await f.operator.client.from("cron_mirror").update({ schedule_expr: "0 3 * * *" }).eq("id", jobId);
    let { rows } = await sql.query("select schedule_rev, next_run_at from public.cron_mirror where id = $1", [jobId]);
    expect(rows[0]).toEqual({ schedule_rev: rev + 1, next_run_at: null });

    await sql.query("update public.cron_mirror set next_run_at = now() + interval '1 hour', scheduled_rev = schedule_rev where id = $1", [
      jobId,
    ]);
    await f.operator.client.from("cron_mirror").update({ enabled: false }).eq("id", jobId);
    ({ rows } = await sql.query("select schedule_rev, next_run_at from public.cron_mirror where id = $1", [jobId]));
    expect(rows[0]).toEqual({ schedule_rev: rev + 1, next_run_at: null });
    await f.operator.client.from("cron_mirror").update({ enabled: true }).eq("id", jobId);
    ({ rows } = await sql.query("select schedule_rev from public.cron_mirror where id = $1", [jobId]));
    expect(rows[0]).toEqual({ schedule_rev: rev + 2 });
  });

  it("turns a heartbeat on and changes it through schedule requests, which write agents.heartbeat", async () => {
    const apply = async () => {
      const { rows } = await sql.query<{ done: { kind: string; status: string; error: string | null }[] }>(
        "select public.apply_cron_requests('test-executor', now(), array[$1]::uuid[]) as done",
        [f.projectId],
      );
      return rows[0]?.done ?? [];
    };
    const create = await f.operator.client.from("cron_create_requests").insert({
      project_id: f.projectId,
      name: "Heartbeat",
      schedule_kind: "every",
      schedule_expr: "10m",
      job_intent: "heartbeat",
      target_agent_key: f.agentKey,
    });
    expect(create.error).toBeNull();
    expect(await apply()).toMatchObject([{ kind: "create", status: "applied", error: null }]);
    const heartbeat = async () =>
      (await sql.query("select heartbeat from public.agents where project_id = $1 and agent_key = $2", [f.projectId, f.agentKey])).rows[0]
        ?.heartbeat;
    expect(await heartbeat()).toEqual({ enabled: true, interval_minutes: 10 });
    const { rows: jobs } = await sql.query<{ id: string; schedule_expr: string }>(
      "select id, schedule_expr from public.cron_mirror where project_id = $1 and heartbeat_agent_id is not null",
      [f.projectId],
    );
    expect(jobs.map((j) => j.schedule_expr)).toEqual(["10m"]);
    const heartbeatJob = jobs[0]?.id;

    for (const patch of [{ schedule_expr: "45m", instructions: "Check the nightly build" }, { name: "Renamed" }]) {
      const { error } = await f.operator.client
        .from("cron_job_patch_requests")
        .insert({ project_id: f.projectId, job_id: heartbeatJob, patch });
      expect(error).toBeNull();
    }
    // An interval a heartbeat cannot have is refused when it is written (400), not queued.
    const tooLong = await f.operator.client
      .from("cron_job_patch_requests")
      .insert({ project_id: f.projectId, job_id: heartbeatJob, patch: { schedule_expr: "2h" } });
    expect([tooLong.status, tooLong.error?.message]).toEqual([400, expect.stringContaining("every 1 to 1440 minutes")]);
    expect(await apply()).toEqual([
      expect.objectContaining({ kind: "patch", status: "applied" }),
      expect.objectContaining({ kind: "patch", status: "failed", error: expect.stringContaining("keeps its name, agent and kind") }),
    ]);
    expect(await heartbeat()).toEqual({ enabled: true, interval_minutes: 45 });
    const { rows } = await sql.query("select schedule_expr, instructions from public.cron_mirror where id = $1", [heartbeatJob]);
    expect(rows).toEqual([{ schedule_expr: "45m", instructions: "Check the nightly build" }]);
    expect(await apply()).toEqual([]);
  });

  it("keeps one heartbeat job per agent in step with agents.heartbeat", async () => {
    await sql.query(
      'update public.agents set heartbeat = \'{"enabled": true, "interval_minutes": 15}\' where project_id = $1 and agent_key = $2',
      [f.projectId, f.agentKey],
    );
    const job = async () =>
      (
        await sql.query(
          "select name, schedule_kind, schedule_expr, job_intent, target_agent_key, enabled from public.cron_mirror where project_id = $1 and heartbeat_agent_id is not null",
          [f.projectId],
        )
      ).rows;
    expect(await job()).toEqual([
      {
        name: `Heartbeat @${f.agentKey}`,
        schedule_kind: "every",
        schedule_expr: "15m",
        job_intent: "heartbeat",
        target_agent_key: f.agentKey,
        enabled: true,
      },
    ]);
    await sql.query("update public.agents set enabled = false where project_id = $1 and agent_key = $2", [f.projectId, f.agentKey]);
    expect((await job())[0]?.enabled).toBe(false);
  });

  it("removes a job's history with the job", async () => {
    const { data } = await f.operator.client
      .from("cron_mirror")
      .insert({ project_id: f.projectId, name: "Short-lived", schedule_kind: "every", schedule_expr: "1h" })
      .select("id")
      .single();
    await sql.query("insert into public.cron_job_runs (job_id, project_id, scheduled_for, status) values ($1, $2, now(), 'missed')", [
      data?.id,
      f.projectId,
    ]);
    const removed = await f.operator.client
      .from("cron_mirror")
      .delete()
      .eq("id", data?.id ?? "");
    expect(removed.error).toBeNull();
    const { rows } = await sql.query("select count(*)::int as n from public.cron_job_runs where job_id = $1", [data?.id]);
    expect(rows[0]).toEqual({ n: 0 });
  });
});
