"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_PRIORITIES, TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import { type FormEvent, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { STATUS_LABELS } from "./plan-task-move.ts";
import { createTask, routeTask } from "./task-writes.ts";
import styles from "./tasks.module.css";
import { useRoutePreview } from "./use-route-preview.ts";

/** The Assignee option that routes the new task (route_task); it cannot be an agent key. */
const BEST_MATCH = "@best-match";
/** Columns a task cannot be in without an assignee (tasks_work_needs_an_assignee). */
const NEEDS_ASSIGNEE: readonly TTaskStatus[] = ["assigned", "in_progress"];

/**
 * The "New task" form (operators): title, details, column, assignee, priority, labels, due date,
 * checklist. The assignee is the best match by default: the task is created unassigned, then routed,
 * and a live line says whom it would go to and why.
 */
export function NewTaskForm({ onDone }: { onDone: (task: TTask | null) => void }) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const agents = useProjectAgents(project.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [assignee, setAssignee] = useState(BEST_MATCH);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  // A task created whose routing failed: it exists (unassigned), so the form only closes now.
  const [unrouted, setUnrouted] = useState<TTask | null>(null);
  const route = useRoutePreview(client, project.id, { title, description, enabled: assignee === BEST_MATCH });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (unrouted) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const routed = assignee === BEST_MATCH;
    const status = text("status") as TTaskStatus;
    setBusy(true);
    setError(null);
    try {
      const due = text("due_at");
      const task = await createTask(client, {
        projectId: project.id,
        title: text("title"),
        description: text("description"),
        // Routing moves an inbox task to Assigned; until then it has no assignee.
        status: routed && NEEDS_ASSIGNEE.includes(status) ? "inbox" : status,
        priority: text("priority") as TTask["priority"],
        assigneeAgentKey: routed ? null : assignee || null,
        labels: text("labels")
          .split(",")
          .map((l) => l.trim())
          .filter(Boolean),
        dueAt: due ? new Date(`${due}T17:00:00`).toISOString() : null,
        definitionOfDone: text("dod")
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean)
          .map((line) => ({ text: line, done: false })),
      });
      store.getState().applyRows("tasks", [task]);
      if (!routed) {
        onDone(task);
        return;
      }
      try {
        const done = await routeTask(client, task.id);
        store.getState().applyRows("tasks", [done.task]);
        onDone(done.task);
      } catch (err) {
        setUnrouted(task);
        setError(`The task is in ${STATUS_LABELS[task.status]}, unassigned. ${err instanceof Error ? err.message : String(err)}`);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.dialog} onSubmit={submit} aria-label="New task">
      <label className={styles.wide}>
        Title
        <input
          name="title"
          required
          maxLength={300}
          // biome-ignore lint/a11y/noAutofocus: the form opens on request; typing the title is the next step
          autoFocus
          placeholder="What needs doing?"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label className={styles.wide}>
        Description
        <textarea
          name="description"
          rows={3}
          placeholder="Context, links, constraints"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label>
        Column
        <select name="status" defaultValue="inbox">
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <div className={styles.assigneeField}>
        <label>
          Assignee
          <select name="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value={BEST_MATCH}>Best match (routed)</option>
            <option value="">Nobody yet</option>
            {agents.map(({ agent }) => (
              <option key={agent.id} value={agent.agent_key}>
                {agent.display_name} (@{agent.agent_key})
              </option>
            ))}
          </select>
        </label>
        {route.preview || route.error ? (
          <output className={styles.routePreview} data-testid="route-preview" data-agent-key={route.preview?.agentKey ?? ""}>
            {route.preview?.line ?? route.error}
          </output>
        ) : null}
      </div>
      <label>
        Priority
        <select name="priority" defaultValue="normal">
          {TASK_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Due
        <input name="due_at" type="date" />
      </label>
      <label className={styles.wide}>
        Labels (comma-separated)
        <input name="labels" placeholder="ui, migration" />
      </label>
      <label className={styles.wide}>
        Definition of done (one item per line)
        <textarea name="dod" rows={2} />
      </label>
      <div className={styles.dialogActions}>
        {unrouted ? (
          <button type="button" className="button primary" onClick={() => onDone(unrouted)}>
            Close
          </button>
        ) : (
          <>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Creating…" : "Create task"}
            </button>
            <button type="button" className="button" onClick={() => onDone(null)}>
              Cancel
            </button>
          </>
        )}
        {error ? (
          <span role="alert" className={styles.notice} style={{ color: "var(--danger)" }}>
            {error}
          </span>
        ) : null}
      </div>
    </form>
  );
}
