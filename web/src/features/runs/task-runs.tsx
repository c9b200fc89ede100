"use client";

import type { TRun, TTask } from "@mission-control/shared/rows";
import Link from "next/link";
import { formatAge } from "../approvals/format-age.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useNow } from "../ui/use-now.ts";
import { CancelRunButton } from "./cancel-run-button.tsx";
import { describeTaskWork } from "./describe-task-work.ts";
import { RUN_ORIGIN_LABELS } from "./format-run.ts";
import { HandOffTask } from "./hand-off-task.tsx";
import { RunStatusBadge } from "./run-status-badge.tsx";
import styles from "./runs.module.css";

/**
 * The line above a task's thread about the agent work on it now: "@backend is working on this
 * now · step 3/12", waiting for approval or for the executor, or, in Backup mode, "agent
 * offline: last known state" with its age. Nothing when no run is active.
 */
export function TaskWorkLine({ runs }: { runs: TRun[] }) {
  const { project, canWrite } = useProject();
  const mode = useLiveStore((s) => s.connection.mode);
  const now = useNow(15_000);
  const work = describeTaskWork(runs, mode, now);
  if (!work) return null;
  return (
    <div className={styles.work} data-tone={work.tone} data-testid="task-work" role="status">
      <span className={styles.workText}>{work.text}</span>
      <Link href={`/p/${project.slug}/runs/${work.run.id}`}>Open the run</Link>
      {canWrite ? <CancelRunButton run={work.run} compact /> : null}
    </div>
  );
}

/**
 * The task's runs beside its fields, newest first, each linking to its page with its live status;
 * a hand-off run names the agent it came from. Operators get "Hand off…" here.
 */
export function TaskRunsList({ task, runs }: { task: TTask; runs: TRun[] }) {
  const { project, canWrite } = useProject();
  const now = useNow(30_000);
  return (
    <div className={styles.taskRuns} data-testid="task-runs">
      <div className={styles.taskRunsHead}>
        Runs
        {canWrite ? <HandOffTask task={task} /> : null}
      </div>
      {runs.length === 0 ? (
        <span className="muted">None yet. Assigning an agent, a mention or /plan in the thread starts one.</span>
      ) : (
        <ul className={styles.taskRunList}>
          {runs.slice(0, 12).map((run) => {
            const from = run.origin === "handoff" && run.participants.length > 1 ? run.participants[0] : null;
            return (
              <li key={run.id} className={styles.taskRun} data-testid="task-run" data-status={run.status} data-origin={run.origin}>
                <Link
                  href={`/p/${project.slug}/runs/${run.id}`}
                  className={styles.taskRunMain}
                  title={`${RUN_ORIGIN_LABELS[run.origin]}: ${run.goal}`}
                >
                  {run.mode} · @{run.agent_key}
                  {from ? <span className={styles.taskRunFrom}> · from @{from}</span> : null}
                </Link>
                <span className={styles.taskRunMeta}>
                  <RunStatusBadge status={run.status} />
                  <span>{formatAge("", run.created_at, now).trim()}</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {runs.length > 12 ? (
        <Link href={`/p/${project.slug}/runs`} className={styles.hint}>
          {runs.length - 12} older runs on the Runs page
        </Link>
      ) : null}
    </div>
  );
}
