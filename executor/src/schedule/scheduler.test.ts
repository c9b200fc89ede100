import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createControlApiClient } from "@mission-control/shared/control-api";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiTools, type TFakeToolServer } from "../providers/testing/index.ts";
import type { TExecutor } from "../runtime/start-executor.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import { runSchedulerTick, type TSchedulerDeps } from "./run-scheduler-tick.ts";
import type { TCronJobRun } from "./schedule-rpcs.ts";

const SAFETY =
  "This is a periodic check. Do NOT take external actions. Report findings to the activity feed. If action is needed, propose it for approval.";
const MINUTE = 60_000;

let project: TTestProject;
let executor: TExecutor;
let fake: TFakeToolServer;
let workspace: string;
let releaseLock: () => Promise<void>;
const idleAgents = Array.from({ length: 10 }, (_, i) => `idle${i}`);

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  project = await createTestProject("schedule", [
    { agent_key: "watcher", display_name: "Watcher", provider: "openai_compatible", model: "fake-watcher" },
    ...idleAgents.map((agent_key) => ({ agent_key, provider: "openai_compatible", model: "fake-idle" })),
  ]);
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-schedule-"));
  // A heartbeat run proposes a task; anything else (the assignment run of the watcher's task) answers in words.
  fake = await startFakeOpenAiTools((request) =>
    JSON.stringify(request.body).includes("This is a periodic check") &&
    !JSON.stringify(request.body).includes("Follow up on the heartbeat")
      ? {
          text: "A task changed; proposing a follow-up.",
          toolCalls: [
            { name: "create_task", arguments: { title: "Follow up on the heartbeat", summary: "Create a follow-up task", risk: "low" } },
          ],
          usage: { input: 120, output: 30 },
        }
      : { text: "Nothing to do." },
  );
  // The executor's own scheduler is off: the tests drive ticks with a fake clock. Its run worker
  // works the runs the heartbeats queue, against the fake provider.
  executor = await startTestExecutor(
    { WORKSPACE_DIR: workspace, RUN_PROJECT_IDS: project.projectId, SCHEDULER_TICK_MS: "0" },
    { providers: { openai_compatible: { kind: "openai_compatible", baseUrl: fake.baseUrl, apiKey: "sk-test" } } },
  );
});

afterAll(async () => {
  await executor?.stop();
  await fake?.close();
  await project?.remove();
  await fs.rm(workspace, { recursive: true, force: true });
  await releaseLock?.();
});

/** A timestamp as PostgREST answers it, in ms (null: NaN). */
function ms(timestamp: string | null | undefined): number {
  return timestamp ? new Date(timestamp).getTime() : Number.NaN;
}

/** A clock the test moves by hand, starting at the next whole minute. */
function fakeClock() {
  let at = Math.ceil(Date.now() / MINUTE) * MINUTE;
  return {
    now: () => new Date(at),
    set: (ms: number) => {
      at = ms;
    },
    advance: (ms: number) => {
      at += ms;
    },
    get ms() {
      return at;
    },
  };
}

function scheduler(executorId: string, clock: { now: () => Date }, extra: Partial<TSchedulerDeps> = {}) {
  const deps: TSchedulerDeps = {
    db: project.db,
    executorId,
    now: clock.now,
    leaseSeconds: 60,
    graceSeconds: 120,
    projectIds: [project.projectId],
    batchSize: 1_000,
    log: pino({ level: "silent" }),
    ...extra,
  };
  return () => runSchedulerTick(deps);
}

async function insertJobs(
  rows: { name: string; schedule_kind: string; schedule_expr: string; [key: string]: unknown }[],
): Promise<string[]> {
  const ids: string[] = [];
  // One insert each: a batch would send null for the columns some rows leave out.
  for (const row of rows) {
    const { data, error } = await project.db
      .from("cron_mirror")
      .insert({ project_id: project.projectId, ...row } as never)
      .select("id")
      .single();
    if (error) throw new Error(error.message);
    ids.push(data.id);
  }
  return ids;
}

async function runsOf(jobIds: string[]): Promise<TCronJobRun[]> {
  const rows: TCronJobRun[] = [];
  for (let from = 0; ; from += 1_000) {
    const { data, error } = await project.db
      .from("cron_job_runs")
      .select("*")
      .in("job_id", jobIds)
      .order("scheduled_for")
      .range(from, from + 999);
    if (error) throw new Error(error.message);
    rows.push(...data);
    if (data.length < 1_000) return rows;
  }
}

async function countActivities(jobIds: string[]): Promise<number> {
  const { count, error } = await project.db
    .from("activities")
    .select("id", { count: "exact", head: true })
    .eq("project_id", project.projectId)
    .eq("kind", "schedule.fired")
    .in("ref->>job_id", jobIds);
  if (error) throw new Error(error.message);
  return count ?? 0;
}

async function jobOf(id: string) {
  const { data, error } = await project.db.from("cron_mirror").select("*").eq("id", id).single();
  if (error) throw new Error(error.message);
  return data;
}

describe("scheduler", () => {
  it("two executors never fire an occurrence twice over 1,000 due occurrences", async () => {
    const clock = fakeClock();
    const jobIds = await insertJobs(
      Array.from({ length: 50 }, (_, i) => ({ name: `Minutely ${i}`, schedule_kind: "every", schedule_expr: "1m" })),
    );
    const a = scheduler("exec-a", clock);
    const b = scheduler("exec-b", clock);
    await Promise.all([a(), b()]);
    expect(ms((await jobOf(jobIds[0] ?? "")).next_run_at)).toBe(clock.ms + MINUTE);
    for (let step = 0; step < 20; step++) {
      clock.advance(MINUTE);
      await Promise.all([a(), b(), a()]);
    }
    const runs = await runsOf(jobIds);
    expect(runs).toHaveLength(1_000);
    expect(runs.every((run) => run.status === "succeeded" && run.missed_count === 0 && run.produced_kind === "activity")).toBe(true);
    expect(new Set(runs.map((run) => `${run.job_id} ${run.scheduled_for}`)).size).toBe(1_000);
    expect(await countActivities(jobIds)).toBe(1_000);
  }, 120_000);

  it("finishes an occurrence exactly once when its executor dies mid-run", async () => {
    const clock = fakeClock();
    const [jobId = ""] = await insertJobs([{ name: "Crashy", schedule_kind: "every", schedule_expr: "5m" }]);
    const crashing = scheduler("exec-crash", clock, {
      fire: async () => {
        throw new Error("the executor died");
      },
    });
    const survivor = scheduler("exec-survivor", clock);
    await survivor();
    clock.advance(5 * MINUTE);
    await expect(crashing()).rejects.toThrow("the executor died");
    const [held] = await runsOf([jobId]);
    expect(held).toMatchObject({ status: "running", claimed_by: "exec-crash", produced_id: null });

    // Within the lease nobody takes it over, and the job is not due again.
    await survivor();
    expect(await runsOf([jobId])).toMatchObject([{ status: "running", claimed_by: "exec-crash" }]);

    clock.advance(61_000);
    const restarted = scheduler("exec-crash", clock);
    await Promise.all([survivor(), restarted()]);
    const after = await runsOf([jobId]);
    expect(after).toHaveLength(1);
    expect(after[0]?.status).toBe("succeeded");
    expect(after[0]?.scheduled_for).toBe(held?.scheduled_for);
    expect(await countActivities([jobId])).toBe(1);
  });

  it("applies the missed-run policies when executors were down across due times", async () => {
    const clock = fakeClock();
    const t0 = clock.ms;
    const [catchUp = "", skipLate = ""] = await insertJobs([
      { name: "Catch up", schedule_kind: "every", schedule_expr: "10m" },
      { name: "Skip late", schedule_kind: "every", schedule_expr: "10m", missed_policy: "skip" },
    ]);
    const tick = scheduler("exec-missed", clock);
    await tick();
    clock.set(t0 + 4 * MINUTE);
    const [skipOnTime = ""] = await insertJobs([
      { name: "Skip on time", schedule_kind: "every", schedule_expr: "10m", missed_policy: "skip" },
    ]);
    await tick();
    // Down from t0+4m to t0+45m: due at 10, 20, 30, 40 (and 14, 24, 34, 44 for the third job).
    clock.set(t0 + 45 * MINUTE);
    await tick();
    const at = (minutes: number) => t0 + minutes * MINUTE;
    const brief = (runs: TCronJobRun[]) =>
      runs.map((run) => ({ status: run.status, at: ms(run.scheduled_for), missed: run.missed_count, reason: run.reason }));

    expect(brief(await runsOf([catchUp]))).toEqual([
      { status: "succeeded", at: at(40), missed: 3, reason: "Caught up once for 3 missed due times" },
    ]);
    expect(brief(await runsOf([skipLate]))).toEqual([
      { status: "missed", at: at(10), missed: 4, reason: "Executors were down at the due times; the job's policy is skip" },
    ]);
    expect(await countActivities([skipLate])).toBe(0);
    expect(brief(await runsOf([skipOnTime]))).toEqual([
      { status: "missed", at: at(14), missed: 3, reason: "Executors were down at the due times; the job's policy is skip" },
      { status: "succeeded", at: at(44), missed: 0, reason: null },
    ]);
    expect(ms((await jobOf(catchUp)).next_run_at)).toBe(at(50));
    expect(ms((await jobOf(skipLate)).next_run_at)).toBe(at(50));
  });

  it("fires a cron job in its time zone and an at job once", async () => {
    const clock = fakeClock();
    const inTwentyMinutes = new Date(clock.ms + 20 * MINUTE);
    // The at job is written as wall-clock time in Tokyo.
    const tokyo = new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .format(inTwentyMinutes)
      .replace(" ", "T");
    const [cronJob = "", atJob = ""] = await insertJobs([
      { name: "Tokyo morning", schedule_kind: "cron", schedule_expr: "0 9 * * *", time_zone: "Asia/Tokyo" },
      { name: "Once", schedule_kind: "at", schedule_expr: tokyo, time_zone: "Asia/Tokyo" },
    ]);
    const tick = scheduler("exec-kinds", clock);
    await tick();
    const cronNext = new Date((await jobOf(cronJob)).next_run_at ?? "");
    // 09:00 in Tokyo is 00:00 UTC.
    expect([cronNext.getUTCHours(), cronNext.getUTCMinutes()]).toEqual([0, 0]);
    expect(cronNext.getTime() - clock.ms).toBeLessThanOrEqual(24 * 60 * MINUTE);
    expect(new Date((await jobOf(atJob)).next_run_at ?? "").getTime()).toBe(inTwentyMinutes.getTime());

    clock.set(inTwentyMinutes.getTime() + 1_000);
    await tick();
    // Down for a day: the two due mornings make one run that counts one missed.
    const nextDay = cronNext.getTime() + 24 * 60 * MINUTE;
    clock.set(nextDay + 1_000);
    await tick();
    expect((await runsOf([atJob])).map((run) => run.status)).toEqual(["succeeded"]);
    expect((await jobOf(atJob)).next_run_at).toBeNull();
    expect((await runsOf([cronJob])).map((run) => [run.status, ms(run.scheduled_for), run.missed_count])).toEqual([
      ["succeeded", nextDay, 1],
    ]);
  });

  it("makes no provider call for 1,000 idle heartbeats", async () => {
    const clock = fakeClock();
    for (const agent of idleAgents) {
      const { error } = await project.db
        .from("agents")
        .update({ heartbeat: { enabled: true, interval_minutes: 1 } })
        .eq("project_id", project.projectId)
        .eq("agent_key", agent);
      if (error) throw new Error(error.message);
    }
    const { data: jobs } = await project.db
      .from("cron_mirror")
      .select("id, job_intent, schedule_expr, target_agent_key, enabled")
      .eq("project_id", project.projectId)
      .eq("job_intent", "heartbeat");
    expect(jobs).toHaveLength(idleAgents.length);
    expect(jobs?.every((job) => job.schedule_expr === "1m" && job.enabled)).toBe(true);
    const jobIds = (jobs ?? []).map((job) => job.id);

    const a = scheduler("exec-hb-a", clock);
    const b = scheduler("exec-hb-b", clock);
    await a();
    for (let step = 0; step < 100; step++) {
      clock.advance(MINUTE);
      await Promise.all([a(), b()]);
    }
    const runs = await runsOf(jobIds);
    expect(runs).toHaveLength(1_000);
    expect(runs.every((run) => run.status === "skipped" && run.reason === "nothing changed" && run.tokens === 0)).toBe(true);
    expect(fake.requests).toHaveLength(0);
    const { count } = await project.db
      .from("ai_runs")
      .select("id", { count: "exact", head: true })
      .eq("project_id", project.projectId)
      .eq("origin", "schedule");
    expect(count).toBe(0);

    // Turning a heartbeat off pauses its job.
    await project.db
      .from("agents")
      .update({ heartbeat: { enabled: false, interval_minutes: 1 } })
      .eq("id", project.agentIds.idle0 ?? "");
    const paused = await project.db
      .from("cron_mirror")
      .select("enabled, next_run_at")
      .eq("heartbeat_agent_id", project.agentIds.idle0 ?? "")
      .single();
    expect(paused.data).toEqual({ enabled: false, next_run_at: null });
  }, 120_000);

  it("runs a heartbeat whose agent has news with the safety instruction, and its action becomes a proposal", async () => {
    const clock = fakeClock();
    await project.db
      .from("agents")
      .update({ heartbeat: { enabled: true, interval_minutes: 30 } })
      .eq("id", project.agentIds.watcher ?? "");
    const { data: job } = await project.db
      .from("cron_mirror")
      .select("id")
      .eq("heartbeat_agent_id", project.agentIds.watcher ?? "")
      .single();
    const jobId = job?.id ?? "";
    const tick = scheduler("exec-watch", clock);
    await tick();
    clock.advance(30 * MINUTE);
    await tick();
    expect(await runsOf([jobId])).toMatchObject([{ status: "skipped", reason: "nothing changed" }]);

    const { error } = await project.db
      .from("tasks")
      .insert({ project_id: project.projectId, title: "Watch the nightly build", assignee_agent_key: "watcher" });
    if (error) throw new Error(error.message);
    clock.advance(30 * MINUTE);
    await tick();
    const finished = await waitFor(
      "the heartbeat's run to finish",
      async () => {
        const runs = await runsOf([jobId]);
        return runs[1] && runs[1].status !== "running" ? runs : undefined;
      },
      30_000,
    );
    const heartbeatRun = finished[1];
    expect(heartbeatRun).toMatchObject({ status: "succeeded", produced_kind: "run" });
    expect(heartbeatRun?.reason).toContain("of its task(s) changed");

    const { data: aiRun } = await project.db
      .from("ai_runs")
      .select("*")
      .eq("id", heartbeatRun?.produced_id ?? "")
      .single();
    expect(aiRun).toMatchObject({ origin: "schedule", mode: "plan", agent_key: "watcher", constraints: SAFETY });
    expect(heartbeatRun?.tokens).toBe(Number(aiRun?.input_tokens ?? 0) + Number(aiRun?.output_tokens ?? 0));
    expect(heartbeatRun?.tokens).toBeGreaterThan(0);
    const prompts = fake.requests.map((request) => JSON.stringify(request.body)).filter((body) => body.includes(SAFETY));
    expect(prompts.length).toBeGreaterThan(0);

    // The heartbeat's create_task became a proposal waiting for an operator; no task was created.
    const { data: proposals } = await project.db
      .from("action_proposals")
      .select("action_type, status")
      .eq("run_id", aiRun?.id ?? "");
    expect(proposals).toEqual([{ action_type: "create_task", status: "proposed" }]);
    const { count } = await project.db
      .from("tasks")
      .select("id", { count: "exact", head: true })
      .eq("project_id", project.projectId)
      .eq("title", "Follow up on the heartbeat");
    expect(count).toBe(0);
  }, 60_000);

  it("applies controls written in Backup mode when an executor returns: in order, once each", async () => {
    const clock = fakeClock();
    const op = project.operator.client;
    const jobId = crypto.randomUUID();
    const must = async (what: string, query: PromiseLike<{ error: { message: string } | null }>) => {
      const { error } = await query;
      if (error) throw new Error(`${what}: ${error.message}`);
    };
    // No executor applies anything meanwhile: create, rename, pause, resume with a new interval, run now, then a duplicate name.
    await must(
      "create",
      op
        .from("cron_create_requests")
        .insert({ project_id: project.projectId, job_id: jobId, name: "Digest", schedule_kind: "every", schedule_expr: "1h" }),
    );
    await must(
      "rename",
      op.from("cron_job_patch_requests").insert({ project_id: project.projectId, job_id: jobId, patch: { name: "Daily digest" } }),
    );
    await must(
      "pause",
      op.from("cron_job_patch_requests").insert({ project_id: project.projectId, job_id: jobId, patch: { enabled: false } }),
    );
    await must(
      "resume",
      op
        .from("cron_job_patch_requests")
        .insert({ project_id: project.projectId, job_id: jobId, patch: { enabled: true, schedule_expr: "2h" } }),
    );
    await must("run now", op.from("cron_run_requests").insert({ project_id: project.projectId, job_id: jobId }));
    await must(
      "duplicate",
      op
        .from("cron_create_requests")
        .insert({ project_id: project.projectId, name: "Daily digest", schedule_kind: "every", schedule_expr: "1h" }),
    );
    const viewer = await project.viewer.client.from("cron_run_requests").insert({ project_id: project.projectId, job_id: jobId });
    expect(viewer.error?.code).toBe("42501");
    expect((await project.db.from("cron_mirror").select("id").eq("id", jobId)).data).toEqual([]);

    const a = scheduler("exec-back-a", clock);
    const b = scheduler("exec-back-b", clock);
    await Promise.all([a(), b()]);
    await Promise.all([a(), b()]);
    const job = await jobOf(jobId);
    expect(job).toMatchObject({ name: "Daily digest", enabled: true, schedule_expr: "2h" });
    expect(ms(job.next_run_at)).toBe(clock.ms + 2 * 60 * MINUTE);
    expect((await runsOf([jobId])).map((run) => [run.status, run.reason])).toEqual([["succeeded", "Run now"]]);
    expect(await countActivities([jobId])).toBe(1);
    const { data: failed } = await project.db
      .from("cron_create_requests")
      .select("status, error")
      .eq("project_id", project.projectId)
      .eq("name", "Daily digest");
    expect(failed).toEqual([
      { status: "failed", error: 'A scheduled job named "Daily digest" already exists in this project: pick another name' },
    ]);
    const { data: patches } = await project.db.from("cron_job_patch_requests").select("status").eq("job_id", jobId);
    expect(patches?.map((row) => row.status)).toEqual(["applied", "applied", "applied"]);

    // Deleting applies once and takes the history with the job.
    await must("delete", op.from("cron_delete_requests").insert({ project_id: project.projectId, job_id: jobId }));
    await a();
    expect((await project.db.from("cron_mirror").select("id").eq("id", jobId)).data).toEqual([]);
    expect(await runsOf([jobId])).toEqual([]);
  });

  it("applies Run now at once through the Control API when Live", async () => {
    const clock = fakeClock();
    const [jobId = ""] = await insertJobs([{ name: "On demand", schedule_kind: "cron", schedule_expr: "0 0 1 1 *" }]);
    const request = await project.operator.client
      .from("cron_run_requests")
      .insert({ project_id: project.projectId, job_id: jobId })
      .select("id, run_id")
      .single();
    if (request.error) throw new Error(request.error.message);
    const client = createControlApiClient({ baseUrl: executor.controlApiUrl });
    const answer = await client.applySchedule({ accessToken: project.operator.token, projectId: project.projectId });
    expect(answer.applied).toEqual([{ kind: "run", request_id: request.data.id, status: "applied", error: null }]);
    // The executor's own scheduler is off in this file: a tick fires the queued occurrence.
    await scheduler("exec-live", clock)();
    const [run] = await runsOf([jobId]);
    expect(run).toMatchObject({ id: request.data.run_id, status: "succeeded", produced_kind: "activity" });

    await expect(client.applySchedule({ accessToken: project.viewer.token, projectId: project.projectId })).rejects.toMatchObject({
      code: "forbidden",
      details: { status: 403 },
    });
  });
});
