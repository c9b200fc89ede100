"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { ChangesetReview } from "../changesets/changeset-review.tsx";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useWatched } from "../live/use-watched.ts";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { formatTime, type TFormatClock } from "../ui/format-time.ts";
import { formatUsd } from "../usage/format-usage.ts";
import { isActiveRun } from "./active-run-statuses.ts";
import { CancelRunButton } from "./cancel-run-button.tsx";
import { formatRunStep, formatRunTokens, RUN_ORIGIN_LABELS } from "./format-run.ts";
import { RunElapsed } from "./run-elapsed.tsx";
import { RunStatusBadge } from "./run-status-badge.tsx";
import { RunTimeline } from "./run-timeline.tsx";
import styles from "./runs.module.css";

function formatWhen(iso: string | null, clock: TFormatClock): string {
  if (!iso) return "—";
  return formatTime(iso, "dayTimeSeconds", clock);
}

/**
 * One run: its header (agent, mode, status, task, origin, iteration, tokens, cost, timestamps,
 * Cancel), its goal, its live timeline grouped by agent, and its changeset with the review.
 * The run stays watched while the page is open, so catch-up re-reads all of it.
 */
export function RunPage({ runId }: { runId: string }) {
  const { project, canWrite } = useProject();
  const clock = useClock();
  const watched = useWatched("run", runId, ["ai_runs", "ai_run_events", "changesets"]);
  const run = useLiveStore((s) => s.rows.ai_runs[runId]);
  const eventRows = useLiveStore((s) => s.rows.ai_run_events);
  const changesetRows = useLiveStore((s) => s.rows.changesets);
  const runRows = useLiveStore((s) => s.rows.ai_runs);
  const task = useLiveStore((s) => (run?.task_id ? s.rows.tasks[run.task_id] : undefined));
  const agents = useProjectAgents(project.id);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const events = useMemo(() => Object.values(eventRows).filter((e) => e.run_id === runId), [eventRows, runId]);
  const changesets = useMemo(
    () =>
      Object.values(changesetRows)
        .filter((c) => c.run_id === runId)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)),
    [changesetRows, runId],
  );
  const followUps = useMemo(
    () =>
      Object.values(runRows)
        .filter((r) => r.parent_run_id === runId)
        .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at)),
    [runRows, runId],
  );
  const parent = run?.parent_run_id ? runRows[run.parent_run_id] : undefined;
  const listHref = `/p/${project.slug}/runs`;

  if (!run || run.project_id !== project.id) {
    return (
      <section className={styles.page}>
        <div className={styles.crumbs}>
          <Link href={listHref}>Runs</Link> / run
        </div>
        <p className="muted">
          {watched.error
            ? `Could not read the run: ${watched.error}`
            : watched.loaded
              ? "There is no such run in this project."
              : "Loading the run…"}
        </p>
      </section>
    );
  }
  const step = formatRunStep(run);
  return (
    <section className={styles.page} aria-labelledby="run-title" data-testid="run-page" data-status={run.status}>
      <div className={styles.crumbs}>
        <Link href={listHref}>Runs</Link> / {run.mode} run of @{run.agent_key}
      </div>
      <header className={styles.runHeader}>
        <div className={styles.runTitleRow}>
          <span className={styles.mode} data-mode={run.mode}>
            {run.mode}
          </span>
          <h1 className={styles.runTitle} id="run-title">
            {run.goal.split("\n", 1)[0] || "(no goal)"}
          </h1>
          <RunStatusBadge status={run.status} />
          {canWrite && isActiveRun(run) ? <CancelRunButton run={run} /> : null}
        </div>
        {isActiveRun(run) && step ? (
          <div className={styles.nowLine} data-testid="run-step">
            {step}
          </div>
        ) : null}
        {run.error ? (
          <p role="alert" className={styles.runError}>
            {run.error}
          </p>
        ) : null}
        {run.result_summary ? <p className={styles.resultSummary}>{run.result_summary}</p> : null}
        <dl className={styles.facts}>
          <div>
            <dt>Agent</dt>
            <dd>
              <Link href={`/p/${project.slug}/agents/${run.agent_key}`}>{agentNames.get(run.agent_key) ?? run.agent_key}</Link>{" "}
              <span className={styles.key}>@{run.agent_key}</span>
              {run.participants.length > 1 ? (
                <span className={styles.key}>
                  {" "}
                  · with{" "}
                  {run.participants
                    .filter((p) => p !== run.agent_key)
                    .map((p) => `@${p}`)
                    .join(", ")}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Task</dt>
            <dd>{run.task_id ? <Link href={`/p/${project.slug}/tasks/${run.task_id}`}>{task?.title ?? "Open the task"}</Link> : "—"}</dd>
          </div>
          <div>
            <dt>Started by</dt>
            <dd>{RUN_ORIGIN_LABELS[run.origin]}</dd>
          </div>
          <div>
            <dt>Iteration</dt>
            <dd>
              {run.iteration}
              {parent ? (
                <>
                  {" "}
                  · after <Link href={`/p/${project.slug}/runs/${parent.id}`}>the {parent.mode} run</Link>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Steps</dt>
            <dd>
              {run.step_count} of {run.max_steps}
            </dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>{formatRunTokens(run)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{formatUsd(run.cost_usd)}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd>
              <RunElapsed run={run} />
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatWhen(run.created_at, clock)}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatWhen(run.started_at, clock)}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{formatWhen(run.finished_at, clock)}</dd>
          </div>
          {run.attempts > 1 ? (
            <div>
              <dt>Attempts</dt>
              <dd>{run.attempts}</dd>
            </div>
          ) : null}
        </dl>
        <details className={styles.goalDetails}>
          <summary>Goal{run.constraints ? " and constraints" : ""}</summary>
          <div className={styles.goalText}>{run.goal}</div>
          {run.constraints ? (
            <>
              <div className={styles.goalLabel}>Constraints</div>
              <div className={styles.goalText}>{run.constraints}</div>
            </>
          ) : null}
        </details>
        {followUps.length > 0 ? (
          <div className={styles.followUps}>
            Next:{" "}
            {followUps.map((r, i) => (
              <span key={r.id}>
                {i > 0 ? " · " : ""}
                <Link href={`/p/${project.slug}/runs/${r.id}`}>
                  {r.mode} run ({RUN_ORIGIN_LABELS[r.origin]}, {r.status.replace("_", " ")})
                </Link>
              </span>
            ))}
          </div>
        ) : null}
      </header>

      <div className={styles.runBody}>
        <section className={styles.runSection} aria-labelledby="timeline-title">
          <h2 className={styles.sectionTitle} id="timeline-title">
            Timeline <span className={styles.count}>{events.length}</span>
          </h2>
          {events.length === 0 ? (
            <p className="muted">
              {run.status === "queued" ? "Nothing yet: the run waits for the executor to pick it up." : "No events recorded."}
            </p>
          ) : (
            <RunTimeline events={events} firstAgentKey={run.participants[0] ?? run.agent_key} agentNames={agentNames} />
          )}
        </section>
        {changesets.length > 0 ? (
          <section className={styles.runSection} aria-labelledby="changeset-title">
            <h2 className={styles.sectionTitle} id="changeset-title">
              Changeset
            </h2>
            {changesets.map((c) => (
              <ChangesetReview key={c.id} changesetId={c.id} />
            ))}
          </section>
        ) : null}
      </div>
    </section>
  );
}
