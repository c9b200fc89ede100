"use client";

import type { TRun } from "@mission-control/shared/rows";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type KeyboardEvent, useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { formatAge } from "../approvals/format-age.ts";
import { usePageIntent } from "../command-palette/use-page-intent.ts";
import { selectLoaded } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useProjectTasks } from "../tasks/use-project-tasks.ts";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { useNow } from "../ui/use-now.ts";
import { formatUsd } from "../usage/format-usage.ts";
import { isActiveRun } from "./active-run-statuses.ts";
import { CancelRunButton } from "./cancel-run-button.tsx";
import { formatRunStep, formatRunTokens } from "./format-run.ts";
import { RunElapsed } from "./run-elapsed.tsx";
import { RunStatusBadge } from "./run-status-badge.tsx";
import styles from "./runs.module.css";
import type { TRunFilter } from "./select-runs.ts";
import { StartRunForm } from "./start-run-form.tsx";
import { useProjectRuns } from "./use-project-runs.ts";

/** The first line of a goal, for a one-line cell. */
function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

/**
 * The Runs page (Agent HQ): every active and recent run across agents, live, with its agent, mode,
 * task, status, current step, elapsed time (ticking while it runs), tokens and cost; Cancel on
 * active runs; filters (active / all, one agent); and "Start a run". ↑↓ move between runs, Enter
 * opens one.
 */
export function RunsView() {
  const { project, canWrite } = useProject();
  const router = useRouter();
  const agents = useProjectAgents(project.id);
  const tasks = useProjectTasks(project.id);
  const mode = useLiveStore((s) => s.connection.mode);
  const loaded = useLiveStore(selectLoaded);
  const now = useNow(30_000);
  const [filter, setFilter] = useState<TRunFilter>({ show: "all", agentKey: null });
  const [starting, setStarting] = useState(false);
  // The command palette's "Start a run" arrives as ?do=start-run.
  usePageIntent("start-run", () => setStarting(canWrite));
  const runs = useProjectRuns(project.id, filter);
  const allRuns = useProjectRuns(
    project.id,
    useMemo(() => ({ show: "all", agentKey: null }), []),
  );
  const activeCount = allRuns.filter(isActiveRun).length;
  const tasksById = useMemo(() => new Map(tasks.map((t) => [t.id, t])), [tasks]);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const pageOf = (run: TRun) => `/p/${project.slug}/runs/${run.id}`;

  const openOnEnter = (event: KeyboardEvent<HTMLTableRowElement>, run: TRun) => {
    if (event.key === "Enter" && event.target === event.currentTarget) router.push(pageOf(run));
  };

  return (
    <section className={styles.page}>
      <div className={styles.header}>
        <h1 className={styles.title}>Runs</h1>
        <span className={styles.count} data-testid="active-runs-count">
          {activeCount} active
        </span>
        <div className={styles.segmented}>
          <button type="button" aria-pressed={filter.show === "active"} onClick={() => setFilter({ ...filter, show: "active" })}>
            Active
          </button>
          <button type="button" aria-pressed={filter.show === "all"} onClick={() => setFilter({ ...filter, show: "all" })}>
            All
          </button>
        </div>
        <select
          className={styles.filterSelect}
          value={filter.agentKey ?? ""}
          onChange={(e) => setFilter({ ...filter, agentKey: e.target.value || null })}
          aria-label="Agent"
        >
          <option value="">All agents</option>
          {agents.map(({ agent }) => (
            <option key={agent.id} value={agent.agent_key}>
              {agent.display_name} (@{agent.agent_key})
            </option>
          ))}
        </select>
        <span className={styles.spacer} />
        {canWrite && !starting ? (
          <button type="button" className="button primary small" onClick={() => setStarting(true)}>
            Start a run
          </button>
        ) : null}
      </div>
      {mode === "backup" || mode === "offline" ? (
        <p className={styles.offline} role="status">
          The executor is not answering: runs show their last known state. Runs you start or cancel are saved and take effect when it is
          back.
        </p>
      ) : null}
      {starting ? <StartRunForm agents={agents.map(({ agent }) => agent)} tasks={tasks} onDone={() => setStarting(false)} /> : null}

      {runs.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Current step</th>
                <th scope="col" className={styles.num}>
                  Elapsed
                </th>
                <th scope="col" className={`${styles.num} ${styles.optional}`}>
                  Tokens
                </th>
                <th scope="col" className={`${styles.num} ${styles.optional}`}>
                  Cost
                </th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody onKeyDown={onListKeyDown}>
              {runs.map((run, i) => {
                const task = run.task_id ? tasksById.get(run.task_id) : undefined;
                return (
                  <tr
                    key={run.id}
                    {...LIST_ITEM}
                    tabIndex={i === 0 ? 0 : -1}
                    data-testid="run-row"
                    data-run-id={run.id}
                    data-status={run.status}
                    onKeyDown={(event) => openOnEnter(event, run)}
                  >
                    <td className={styles.agentCell}>
                      <div className={styles.agentName}>{agentNames.get(run.agent_key) ?? run.agent_key}</div>
                      <div className={styles.key}>
                        @{run.agent_key}
                        {run.participants.length > 1 ? ` +${run.participants.length - 1}` : ""}
                      </div>
                    </td>
                    <td className={styles.workCell}>
                      <div className={styles.workLine}>
                        <span className={styles.mode} data-mode={run.mode}>
                          {run.mode}
                        </span>
                        <Link href={pageOf(run)} className={styles.goalLink} title={run.goal}>
                          {firstLine(run.goal) || "(no goal)"}
                        </Link>
                      </div>
                      {task ? (
                        <div className={styles.taskLine}>
                          task <Link href={`/p/${project.slug}/tasks/${task.id}`}>{task.title}</Link>
                          {run.iteration > 1 ? <span> · iteration {run.iteration}</span> : null}
                        </div>
                      ) : run.iteration > 1 ? (
                        <div className={styles.taskLine}>iteration {run.iteration}</div>
                      ) : null}
                    </td>
                    <td className={`${styles.nowrap} ${styles.statusCell}`}>
                      <RunStatusBadge status={run.status} />
                    </td>
                    <td className={styles.stepCell}>
                      {run.status === "failed" && run.error ? (
                        <span className={styles.errorText} title={run.error}>
                          {run.error}
                        </span>
                      ) : isActiveRun(run) ? (
                        formatRunStep(run) || "—"
                      ) : (
                        // A finished run's last step is stale: what it came to says more.
                        <span className={styles.muted} title={run.result_summary ?? undefined}>
                          {run.result_summary || run.current_step || "—"}
                        </span>
                      )}
                    </td>
                    <td className={`${styles.num} ${styles.nowrap} ${styles.elapsedCell}`}>
                      <RunElapsed run={run} />
                      {run.finished_at ? <div className={styles.ended}>{formatAge("ended", run.finished_at, now)}</div> : null}
                    </td>
                    <td className={`${styles.num} ${styles.nowrap} ${styles.optional}`}>{formatRunTokens(run)}</td>
                    <td className={`${styles.num} ${styles.optional}`}>{formatUsd(run.cost_usd)}</td>
                    {canWrite ? (
                      <td className={styles.actionsCell}>{isActiveRun(run) ? <CancelRunButton run={run} compact /> : null}</td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <div className={styles.empty} data-testid="runs-empty">
          {!loaded ? (
            <p className="muted">Loading runs…</p>
          ) : filter.show === "active" && allRuns.length > 0 ? (
            <p>
              Nothing is running now.{" "}
              <button type="button" className="button small" onClick={() => setFilter({ ...filter, show: "all" })}>
                Show the {allRuns.length} recent {allRuns.length === 1 ? "run" : "runs"}
              </button>
            </p>
          ) : (
            <>
              <p className={styles.emptyTitle}>{filter.agentKey ? `No runs for @${filter.agentKey} yet.` : "No runs yet."}</p>
              <p className="muted">A run is one piece of agent work (plan, implement or test). Runs start when you:</p>
              <ul className={styles.emptyList}>
                <li>assign a task to an agent, or mention one in a task thread;</li>
                <li>
                  type a command in any composer: <code>/plan</code>, <code>/implement</code>, <code>/test</code> (and <code>/cancel</code>,{" "}
                  <code>/handoff @agent</code>);
                </li>
                <li>message an agent in its DM;</li>
                <li>use {canWrite ? "Start a run above" : "Start a run (operators)"}.</li>
              </ul>
            </>
          )}
        </div>
      )}
      {runs.length > 0 ? <p className={styles.hintLine}>↑↓ move between runs · Enter opens one</p> : null}
    </section>
  );
}
