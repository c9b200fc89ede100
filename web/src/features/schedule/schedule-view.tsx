"use client";

import type { TCronJob, TCronJobRun } from "@mission-control/shared/rows";
import { MISSED_POLICIES, type TMissedPolicy, type TScheduleKind } from "@mission-control/shared/schemas";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useNow } from "../ui/use-now.ts";
import { collectScheduleRequests, jobsWithPending, type TScheduleRequestView } from "./collect-schedule-requests.ts";
import { formatFireTime, previewSchedule } from "./describe-schedule.ts";
import styles from "./schedule.module.css";
import { type TNewJob, type TScheduleActions, useScheduleActions } from "./use-schedule-actions.ts";

const HEARTBEAT_MINUTES = [5, 10, 15, 30, 60, 120, 240, 720, 1440];
const EMPTY_JOB: TNewJob = {
  name: "",
  schedule_kind: "cron",
  schedule_expr: "0 9 * * 1-5",
  time_zone: "UTC",
  missed_policy: "catch_up_once",
  instructions: "",
  target_agent_key: null,
};

function minutesLabel(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

function when(iso: string | null, timeZone: string): string {
  return iso ? formatFireTime(new Date(iso), timeZone) : "—";
}

/** Runs of each job, newest first. */
function useRunsByJob(): Map<string, TCronJobRun[]> {
  const runs = useLiveStore((s) => s.rows.cron_job_runs);
  return useMemo(() => {
    const byJob = new Map<string, TCronJobRun[]>();
    for (const run of Object.values(runs)) byJob.set(run.job_id, [...(byJob.get(run.job_id) ?? []), run]);
    for (const list of byJob.values()) list.sort((a, b) => Date.parse(b.scheduled_for) - Date.parse(a.scheduled_for));
    return byJob;
  }, [runs]);
}

/**
 * The Schedule page: Heartbeats (a non-destructive periodic check per agent: on / off and an
 * interval, no cron syntax) and Scheduled Jobs (an expression editor with the schedule in words and
 * its next five fire times), each with last / next run, status, missed count, history and Run now.
 */
export function ScheduleView() {
  const { canWrite } = useProject();
  const actions = useScheduleActions();
  const jobs = useLiveStore((s) => s.rows.cron_mirror);
  const agents = useLiveStore((s) => s.rows.agents);
  const runsByJob = useRunsByJob();
  const creates = useLiveStore((s) => s.rows.cron_create_requests);
  const patches = useLiveStore((s) => s.rows.cron_job_patch_requests);
  const deletes = useLiveStore((s) => s.rows.cron_delete_requests);
  const runRequests = useLiveStore((s) => s.rows.cron_run_requests);
  const now = useNow(30_000);
  const requests = useMemo(
    () => collectScheduleRequests({ creates, patches, deletes, runs: runRequests }, jobs),
    [creates, patches, deletes, runRequests, jobs],
  );
  const pending = requests.filter((request) => request.status === "queued");
  // A refusal stays in sight for an hour: a change made in Backup mode can fail when the executor applies it.
  const refused = requests.filter((request) => request.status === "failed" && now - Date.parse(request.appliedAt ?? "") < 3_600_000);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  // Two controls used in quick succession answer in any order: only the latest one's answer is shown.
  const latestAct = useRef(0);
  const act = async (work: () => Promise<string | null>, done: string) => {
    const mine = ++latestAct.current;
    try {
      const queued = await work();
      // Queued (Backup mode): the change waits for the executor, listed below until it is applied.
      if (mine === latestAct.current)
        setNotice({ ok: true, text: queued ? `${done} once the executor is back: it is waiting below` : done });
    } catch (err) {
      // A failure is always shown, whichever control it came from.
      setNotice({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  const allJobs = jobsWithPending(jobs, creates, requests, patches).sort((a, b) => a.name.localeCompare(b.name));
  const heartbeatOf = new Map(allJobs.filter((job) => job.heartbeat_agent_id).map((job) => [job.heartbeat_agent_id, job]));
  const scheduled = allJobs.filter((job) => !job.heartbeat_agent_id);
  const pendingOf = (jobId: string) => pending.filter((request) => request.jobId === jobId);
  const history = historyOf ? (jobs[historyOf] ?? null) : null;

  return (
    <div className={styles.layout}>
      <section className={styles.page}>
        <div className={styles.header}>
          <h1 className={styles.title}>Schedule</h1>
        </div>
        {notice ? (
          <p className={notice.ok ? styles.ok : styles.error} aria-live="polite">
            {notice.text}
          </p>
        ) : null}

        <section className={styles.section} aria-labelledby="heartbeats-title">
          <h2 id="heartbeats-title" className={styles.sectionTitle}>
            Heartbeats
          </h2>
          <p className={styles.hint}>
            A heartbeat is a non-destructive periodic check: the agent looks at what changed for it, reports to the activity feed and only
            proposes actions for approval. When nothing changed it costs no tokens.
          </p>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Agent</th>
                <th>Check</th>
                <th>Last run</th>
                <th>Next run</th>
                <th>Status</th>
                <th>Missed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {Object.values(agents)
                .sort((a, b) => a.agent_key.localeCompare(b.agent_key))
                .map((agent) => {
                  const job = heartbeatOf.get(agent.id) ?? null;
                  return (
                    <HeartbeatRow
                      key={agent.id}
                      agentKey={agent.agent_key}
                      heartbeat={agent.heartbeat as { enabled?: boolean; interval_minutes?: number }}
                      job={job}
                      runs={job ? (runsByJob.get(job.id) ?? []) : []}
                      actions={actions}
                      act={act}
                      onHistory={setHistoryOf}
                      canWrite={canWrite}
                    />
                  );
                })}
            </tbody>
          </table>
        </section>

        <section className={styles.section} aria-labelledby="jobs-title">
          <h2 id="jobs-title" className={styles.sectionTitle}>
            Scheduled Jobs
          </h2>
          {canWrite ? <NewJobForm actions={actions} act={act} agentKeys={Object.values(agents).map((a) => a.agent_key)} /> : null}
          <PendingRequests pending={pending} refused={refused} />
          {scheduled.length === 0 ? (
            <p className={styles.hint}>No scheduled jobs yet.</p>
          ) : (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Schedule</th>
                  <th>Last run</th>
                  <th>Next run</th>
                  <th>Status</th>
                  <th>Missed</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {scheduled.map((job) => {
                  const preview = previewSchedule(
                    { kind: job.schedule_kind, expr: job.schedule_expr, timeZone: job.time_zone },
                    new Date(),
                    0,
                  );
                  return (
                    <tr key={job.id} data-testid={`job-${job.name}`} data-pending={job.pendingCreate ? "true" : undefined}>
                      <td>
                        {job.name}
                        {job.target_agent_key ? <span className="muted"> · @{job.target_agent_key}</span> : null}
                      </td>
                      <td>{preview.ok ? preview.words : <span className={styles.error}>{preview.problem}</span>}</td>
                      <JobCells job={job} runs={runsByJob.get(job.id) ?? []} pending={pendingOf(job.id)} />
                      <td>
                        <JobActions job={job} actions={actions} act={act} onHistory={setHistoryOf} canWrite={canWrite} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      </section>
      {history ? <HistoryDrawer job={history} runs={runsByJob.get(history.id) ?? []} onClose={() => setHistoryOf(null)} /> : null}
    </div>
  );
}

/** One agent's heartbeat: on / off and the interval show the choice at once, and follow agents.heartbeat as it arrives live. */
function HeartbeatRow(props: {
  agentKey: string;
  heartbeat: { enabled?: boolean; interval_minutes?: number };
  job: TCronJob | null;
  runs: TCronJobRun[];
  actions: TScheduleActions;
  act: (work: () => Promise<string | null>, done: string) => Promise<void>;
  onHistory: (jobId: string) => void;
  canWrite: boolean;
}) {
  const { agentKey, actions, act } = props;
  const liveEnabled = props.heartbeat.enabled === true;
  const liveMinutes = props.heartbeat.interval_minutes ?? 30;
  const [draft, setDraft] = useState({ enabled: liveEnabled, minutes: liveMinutes });
  useEffect(() => setDraft({ enabled: liveEnabled, minutes: liveMinutes }), [liveEnabled, liveMinutes]);
  const save = (next: { enabled: boolean; minutes: number }) => {
    setDraft(next);
    void act(
      () => actions.setHeartbeat(agentKey, { enabled: next.enabled, intervalMinutes: next.minutes }),
      `Heartbeat of @${agentKey} ${next.enabled ? "on" : "off"}, ${minutesLabel(next.minutes)}`,
    );
  };
  return (
    <tr data-testid={`heartbeat-${agentKey}`}>
      <td>@{agentKey}</td>
      <td>
        <label>
          <input
            type="checkbox"
            checked={draft.enabled}
            disabled={!props.canWrite}
            onChange={(e) => save({ enabled: e.target.checked, minutes: draft.minutes })}
          />{" "}
          Non-destructive periodic check{" "}
        </label>
        <select
          aria-label={`Interval of @${agentKey}'s heartbeat`}
          value={HEARTBEAT_MINUTES.includes(draft.minutes) ? draft.minutes : 30}
          disabled={!props.canWrite}
          onChange={(e) => save({ enabled: draft.enabled, minutes: Number(e.target.value) })}
        >
          {HEARTBEAT_MINUTES.map((m) => (
            <option key={m} value={m}>
              {minutesLabel(m)}
            </option>
          ))}
        </select>
      </td>
      <JobCells job={props.job} runs={props.runs} />
      <td>
        {props.job ? (
          <JobActions job={props.job} actions={actions} act={act} onHistory={props.onHistory} canWrite={props.canWrite} />
        ) : null}
      </td>
    </tr>
  );
}

/** How long an occurrence took (from its timestamps: realtime payloads leave generated columns out). */
function formatDuration(run: TCronJobRun): string {
  if (!run.started_at || !run.finished_at) return "—";
  return `${(Math.max(0, Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000).toFixed(1)} s`;
}

/**
 * Schedule requests no executor has applied yet (Backup mode), in the order one will apply them,
 * and those it refused in the last hour with its reason.
 */
function PendingRequests({ pending, refused }: { pending: TScheduleRequestView[]; refused: TScheduleRequestView[] }) {
  if (pending.length === 0 && refused.length === 0) return null;
  return (
    <div className={styles.pending} data-testid="schedule-requests">
      {pending.length > 0 ? (
        <>
          <p className={styles.hint}>Waiting for the executor: it applies these changes in this order, once each, when it is back.</p>
          <ol aria-label="Changes waiting for the executor">
            {pending.map((request) => (
              <li key={request.id} data-testid="pending-request" data-kind={request.kind}>
                {request.label}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {refused.map((request) => (
        <p key={request.id} className={styles.error} data-testid="refused-request">
          {request.label} was refused: {request.error}
        </p>
      ))}
    </div>
  );
}

function JobCells({ job, runs, pending = [] }: { job: TCronJob | null; runs: TCronJobRun[]; pending?: TScheduleRequestView[] }) {
  if (!job) {
    return (
      <>
        <td>—</td>
        <td>—</td>
        <td>—</td>
        <td>—</td>
      </>
    );
  }
  const last = runs[0] ?? null;
  const missed = runs.reduce((sum, run) => sum + run.missed_count, 0);
  return (
    <>
      <td>{when(last?.scheduled_for ?? job.last_run_at, job.time_zone)}</td>
      <td>{job.enabled ? when(job.next_run_at, job.time_zone) : "Paused"}</td>
      <td className={styles.status}>
        {last ? `${last.status}${last.reason === "nothing changed" ? ": nothing changed" : ""}` : "not run yet"}
        {pending.length > 0 ? (
          <div className="muted" data-testid="job-pending">
            pending:{" "}
            {pending
              .map((request) =>
                request.kind === "patch" ? request.label.split(" ")[0]?.toLowerCase() : request.kind === "run" ? "run now" : request.kind,
              )
              .join(", ")}
          </div>
        ) : null}
      </td>
      <td className={missed > 0 ? styles.missed : undefined}>{missed}</td>
    </>
  );
}

function JobActions(props: {
  job: TCronJob;
  actions: TScheduleActions;
  act: (work: () => Promise<string | null>, done: string) => Promise<void>;
  onHistory: (jobId: string) => void;
  canWrite: boolean;
}) {
  const { job, actions, act } = props;
  return (
    <div className={styles.actions}>
      <button type="button" className="button" onClick={() => props.onHistory(job.id)}>
        History
      </button>
      {props.canWrite ? (
        <>
          <button type="button" className="button" onClick={() => act(() => actions.runNow(job.id), `"${job.name}" runs now`)}>
            Run now
          </button>
          {job.heartbeat_agent_id ? null : (
            <>
              <button
                type="button"
                className="button"
                onClick={() =>
                  act(() => actions.patch(job.id, { enabled: !job.enabled }), `"${job.name}" ${job.enabled ? "paused" : "resumed"}`)
                }
              >
                {job.enabled ? "Pause" : "Resume"}
              </button>
              <button type="button" className="button" onClick={() => act(() => actions.remove(job.id), `"${job.name}" deleted`)}>
                Delete
              </button>
            </>
          )}
        </>
      ) : null}
    </div>
  );
}

function NewJobForm(props: {
  actions: TScheduleActions;
  act: (work: () => Promise<string | null>, done: string) => Promise<void>;
  agentKeys: string[];
}) {
  const [job, setJob] = useState<TNewJob>(EMPTY_JOB);
  const now = useNow(60_000);
  const preview = previewSchedule({ kind: job.schedule_kind, expr: job.schedule_expr, timeZone: job.time_zone }, new Date(now), 5, {
    forNewJob: true,
  });
  const set = (fields: Partial<TNewJob>) => setJob((current) => ({ ...current, ...fields }));
  return (
    <form
      className={styles.form}
      aria-label="New scheduled job"
      onSubmit={(e) => {
        e.preventDefault();
        if (!preview.ok || !job.name.trim()) return;
        void props.act(() => props.actions.create(job), `"${job.name}" scheduled`).then(() => setJob(EMPTY_JOB));
      }}
    >
      <label>
        Name
        <input value={job.name} onChange={(e) => set({ name: e.target.value })} required maxLength={120} />
      </label>
      <label>
        Kind
        <select value={job.schedule_kind} onChange={(e) => set({ schedule_kind: e.target.value as TScheduleKind })}>
          <option value="cron">cron expression</option>
          <option value="every">every (interval)</option>
          <option value="at">once, at a time</option>
        </select>
      </label>
      <label>
        Expression
        <input
          value={job.schedule_expr}
          onChange={(e) => set({ schedule_expr: e.target.value })}
          placeholder={job.schedule_kind === "every" ? "15m" : job.schedule_kind === "at" ? "2026-12-24T09:00" : "0 9 * * 1-5"}
        />
      </label>
      <label>
        Time zone
        <input value={job.time_zone} onChange={(e) => set({ time_zone: e.target.value })} placeholder="Europe/Berlin" />
      </label>
      <label>
        When executors were down
        <select value={job.missed_policy} onChange={(e) => set({ missed_policy: e.target.value as TMissedPolicy })}>
          {MISSED_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {policy === "catch_up_once" ? "run once, count the missed" : "skip, record them as missed"}
            </option>
          ))}
        </select>
      </label>
      <label>
        Agent
        <select value={job.target_agent_key ?? ""} onChange={(e) => set({ target_agent_key: e.target.value || null })}>
          <option value="">none: post to the activity feed</option>
          {props.agentKeys.map((key) => (
            <option key={key} value={key}>
              @{key} (a plan run)
            </option>
          ))}
        </select>
      </label>
      <label className={styles.wide}>
        Instructions
        <textarea rows={2} value={job.instructions} onChange={(e) => set({ instructions: e.target.value })} maxLength={20_000} />
      </label>
      <div className={styles.preview} data-testid="schedule-preview">
        {preview.ok ? (
          <>
            <strong>{preview.words}</strong>
            <ol aria-label="Next five fire times">
              {preview.next.map((at) => (
                <li key={at.toISOString()}>{formatFireTime(at, job.time_zone)}</li>
              ))}
            </ol>
          </>
        ) : (
          <span className={styles.error}>{preview.problem}</span>
        )}
      </div>
      <div>
        <button type="submit" className="button primary" disabled={!preview.ok || !job.name.trim()}>
          Schedule job
        </button>
      </div>
    </form>
  );
}

function HistoryDrawer({ job, runs, onClose }: { job: TCronJob; runs: TCronJobRun[]; onClose: () => void }) {
  const { project } = useProject();
  const now = useNow(30_000);
  return (
    <aside className={styles.drawer} aria-label={`History of ${job.name}`}>
      <div className={styles.header}>
        <h2 className={styles.sectionTitle}>History · {job.name}</h2>
        <span style={{ flex: 1 }} />
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      {runs.length === 0 ? <p className={styles.hint}>No runs yet.</p> : null}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Scheduled for</th>
            <th>Status</th>
            <th>Duration</th>
            <th>Tokens</th>
            <th>Missed</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} title={run.reason ?? undefined}>
              <td>
                {formatFireTime(new Date(run.scheduled_for), job.time_zone)}
                <div className="muted">{formatAge("", run.scheduled_for, now).trim()}</div>
              </td>
              <td className={styles.status}>
                {run.status}
                {run.reason ? <div className="muted">{run.reason}</div> : null}
                {run.produced_kind === "run" && run.produced_id ? (
                  <Link href={`/p/${project.slug}/runs/${run.produced_id}`}>open run</Link>
                ) : null}
              </td>
              <td>{formatDuration(run)}</td>
              <td>{run.tokens}</td>
              <td className={run.missed_count > 0 ? styles.missed : undefined}>{run.missed_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
