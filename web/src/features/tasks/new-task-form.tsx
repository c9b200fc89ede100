"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_PRIORITIES, TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import { type FormEvent, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { STATUS_LABELS } from "./plan-task-move.ts";
import { createTask } from "./task-writes.ts";
import styles from "./tasks.module.css";

/** The "New task" form (operators): title, details, column, assignee, priority, labels, due date, checklist. */
export function NewTaskForm({ onDone }: { onDone: (task: TTask | null) => void }) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const agents = useProjectAgents(project.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const due = text("due_at");
      const task = await createTask(client, {
        projectId: project.id,
        title: text("title"),
        description: text("description"),
        status: text("status") as TTaskStatus,
        priority: text("priority") as TTask["priority"],
        assigneeAgentKey: text("assignee") || null,
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
      onDone(task);
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
        {/* biome-ignore lint/a11y/noAutofocus: the form opens on request; typing the title is the next step */}
        <input name="title" required maxLength={300} autoFocus placeholder="What needs doing?" />
      </label>
      <label className={styles.wide}>
        Description
        <textarea name="description" rows={3} placeholder="Context, links, constraints" />
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
      <label>
        Assignee
        <select name="assignee" defaultValue="">
          <option value="">Nobody yet</option>
          {agents.map(({ agent }) => (
            <option key={agent.id} value={agent.agent_key}>
              {agent.display_name} (@{agent.agent_key})
            </option>
          ))}
        </select>
      </label>
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
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Creating…" : "Create task"}
        </button>
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        {error ? (
          <span role="alert" className={styles.notice} style={{ color: "var(--danger)" }}>
            {error}
          </span>
        ) : null}
      </div>
    </form>
  );
}
