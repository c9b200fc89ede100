"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_PRIORITIES, TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import Link from "next/link";
import { type ReactNode, useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useWatched } from "../live/use-watched.ts";
import { useProject } from "../projects/project-context.tsx";
import { TaskRunsList, TaskWorkLine } from "../runs/task-runs.tsx";
import { useTaskRuns } from "../runs/use-project-runs.ts";
import { useFormatTime } from "../ui/clock.tsx";
import { onListKeyDown } from "../ui/use-list-keys.ts";
import { planTaskMove, STATUS_LABELS } from "./plan-task-move.ts";
import { TaskComposer } from "./task-composer.tsx";
import styles from "./task-detail.module.css";
import { TaskThreadItem } from "./task-thread-item.tsx";
import { routeTask, updateTask } from "./task-writes.ts";
import { useProjectTasks } from "./use-project-tasks.ts";
import { useTaskMover } from "./use-task-mover.ts";
import { useTaskThread } from "./use-task-thread.ts";

/**
 * A task's page: what an agent is doing on it now, its one chronological thread (with approval
 * cards) and, beside it, its fields and its runs.
 */
export function TaskDetail({ taskId }: { taskId: string }) {
  const { project, canWrite, role, session } = useProject();
  const task = useLiveStore((s) => s.rows.tasks[taskId]);
  const agents = useProjectAgents(project.id);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const { items, error } = useTaskThread(task, taskId);
  // The thread already holds the task open; this reads the task and its runs now (catch-up keeps
  // them after): the store holds only the latest tasks, and a link may open an old one.
  const watched = useWatched("task", taskId, ["tasks", "ai_runs"]);
  const runs = useTaskRuns(taskId);

  if (!task) {
    return (
      <section className={styles.layout}>
        <p className="muted">{watched.error ?? (watched.loaded ? "There is no such task in this project." : "Loading the task…")}</p>
      </section>
    );
  }
  return (
    <section className={styles.layout}>
      <div className={styles.main}>
        <div className={styles.crumbs}>
          <Link href={`/p/${project.slug}/tasks`}>Tasks</Link> / {STATUS_LABELS[task.status]}
        </div>
        <h1 className={styles.title}>{task.title}</h1>
        <TaskWorkLine runs={runs} />
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
        <ol className={styles.thread} aria-label="Task thread" onKeyDown={onListKeyDown} data-testid="task-thread">
          {items.map((item, i) => (
            <TaskThreadItem key={item.key} item={item} agentNames={agentNames} myUserId={session.user.id} first={i === 0} />
          ))}
        </ol>
        {canWrite ? (
          <TaskComposer taskId={task.id} />
        ) : role === "viewer" ? (
          <p className="muted">You are a viewer in this project: you can read the thread, not add to it.</p>
        ) : null}
      </div>
      <TaskFields task={task} agents={agents.map(({ agent }) => agent)}>
        <TaskRunsList task={task} runs={runs} />
      </TaskFields>
    </section>
  );
}

/** The task's fields beside the thread; operators change them in place. `children` follow the fields. */
function TaskFields({
  task,
  agents,
  children,
}: {
  task: TTask;
  agents: { agent_key: string; display_name: string }[];
  children?: ReactNode;
}) {
  const { client, canWrite } = useProject();
  const formatTime = useFormatTime();
  const store = useLiveStoreApi();
  const tasks = useProjectTasks(task.project_id);
  const mover = useTaskMover();
  const [error, setError] = useState<string | null>(null);

  const [routing, setRouting] = useState(false);

  const patch = async (change: Parameters<typeof updateTask>[2]) => {
    setError(null);
    try {
      store.getState().applyRows("tasks", [await updateTask(client, task.id, change)]);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  // Re-routing is picking another agent in the Assignee field; this routes a task nobody has yet.
  const route = async () => {
    setError(null);
    setRouting(true);
    try {
      store.getState().applyRows("tasks", [(await routeTask(client, task.id)).task]);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRouting(false);
    }
  };

  return (
    <aside className={styles.side} aria-label="Task details">
      <label className={styles.field}>
        Status
        <select
          value={task.status}
          disabled={!canWrite}
          onChange={(e) => void mover.move(task, planTaskMove(tasks, task, e.target.value as TTaskStatus, Number.MAX_SAFE_INTEGER))}
        >
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <div className={styles.assigneeField}>
        <label className={styles.field}>
          Assignee
          <select
            value={task.assignee_agent_key ?? ""}
            disabled={!canWrite || routing}
            onChange={(e) => void patch({ assignee_agent_key: e.target.value || null })}
          >
            <option value="">Nobody</option>
            {agents.map((a) => (
              <option key={a.agent_key} value={a.agent_key}>
                {a.display_name} (@{a.agent_key})
              </option>
            ))}
          </select>
        </label>
        {canWrite && task.assignee_agent_key === null ? (
          <button
            type="button"
            className="button small"
            disabled={routing}
            title="Assign the agent whose capabilities match the title and description best, else the lead"
            onClick={() => void route()}
          >
            {routing ? "Routing…" : "Route to best match"}
          </button>
        ) : null}
      </div>
      <label className={styles.field}>
        Priority
        <select value={task.priority} disabled={!canWrite} onChange={(e) => void patch({ priority: e.target.value as TTask["priority"] })}>
          {TASK_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {task.labels.length > 0 ? (
        <div className={styles.field}>
          Labels
          <span style={{ color: "var(--text-2)" }}>{task.labels.join(", ")}</span>
        </div>
      ) : null}
      {task.due_at ? (
        <div className={styles.field}>
          Due
          <span style={{ color: "var(--text-2)" }}>{formatTime(task.due_at, "date")}</span>
        </div>
      ) : null}
      <div className={styles.field}>
        Definition of done
        {task.definition_of_done.length === 0 ? (
          <span className="muted">No checklist.</span>
        ) : (
          <ul className={styles.checklist}>
            {task.definition_of_done.map((item, i) => (
              <li key={`${i}-${item.text}`}>
                <label>
                  <input
                    type="checkbox"
                    checked={item.done}
                    disabled={!canWrite}
                    onChange={() =>
                      void patch({
                        definition_of_done: task.definition_of_done.map((d, j) => (j === i ? { ...d, done: !d.done } : d)),
                      })
                    }
                  />
                  {item.text}
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      {error || mover.error ? (
        <p role="alert" className={styles.error} data-testid="move-error">
          {error ?? mover.error}
        </p>
      ) : null}
      {children}
    </aside>
  );
}
