"use client";

import { useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { usePageIntent } from "../command-palette/use-page-intent.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { KanbanBoard } from "./kanban-board.tsx";
import { NewTaskForm } from "./new-task-form.tsx";
import type { TTasksStart } from "./read-task-pages.ts";
import { TaskTable } from "./task-table.tsx";
import styles from "./tasks.module.css";
import { useProjectTasks } from "./use-project-tasks.ts";
import { useTaskMover } from "./use-task-mover.ts";

/**
 * The Tasks page: the board or the table (both live), and "New task" for operators. `start` is the
 * page's first screen when the server could read it (preload-project.ts): the board and the table
 * open on it rather than reading it again.
 */
export function TasksView({ start = null }: { start?: TTasksStart | null }) {
  const { project, canWrite, role } = useProject();
  const pageStart = start?.projectId === project.id ? start : null;
  const tasks = useProjectTasks(project.id, pageStart?.rows ?? null);
  const agents = useProjectAgents(project.id);
  const proposals = useLiveStore((s) => s.rows.action_proposals);
  const [view, setView] = useState<"board" | "table">("board");
  const [creating, setCreating] = useState(false);
  // The command palette's "New task" arrives as ?do=new-task.
  usePageIntent("new-task", () => setCreating(canWrite));
  const mover = useTaskMover();
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const pendingByTask = useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of Object.values(proposals)) {
      if (p.project_id === project.id && p.status === "proposed" && p.task_id) counts.set(p.task_id, (counts.get(p.task_id) ?? 0) + 1);
    }
    return counts;
  }, [proposals, project.id]);

  return (
    <section className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Tasks</h1>
        <div className={styles.segmented}>
          <button type="button" aria-pressed={view === "board"} onClick={() => setView("board")}>
            Board
          </button>
          <button type="button" aria-pressed={view === "table"} onClick={() => setView("table")}>
            Table
          </button>
        </div>
        {view === "board" ? <span className={styles.hint}>Drag cards, or focus one and press Shift+arrow keys to move it</span> : null}
        <span className={styles.spacer} />
        {canWrite ? (
          <button type="button" className="button primary small" onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            New task
          </button>
        ) : role === "viewer" ? (
          <span className={styles.hint}>You are a viewer: you can read tasks, not change them.</span>
        ) : null}
      </header>
      {creating ? <NewTaskForm onDone={() => setCreating(false)} /> : null}
      {mover.error ? (
        <div role="alert" className={styles.error} data-testid="move-error">
          <span>{mover.error}</span>
          <button type="button" className="button small" onClick={mover.clearError}>
            Dismiss
          </button>
        </div>
      ) : null}
      {view === "board" ? (
        <KanbanBoard tasks={tasks} start={pageStart} pendingByTask={pendingByTask} agentNames={agentNames} mover={mover} />
      ) : (
        <TaskTable tasks={tasks} start={pageStart} pendingByTask={pendingByTask} />
      )}
    </section>
  );
}
