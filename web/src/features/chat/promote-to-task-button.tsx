"use client";

import type { TChatMessage } from "@mission-control/shared/rows";
import Link from "next/link";
import { useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { taskFromMessage } from "../tasks/task-from-message.ts";
import { createTask } from "../tasks/task-writes.ts";
import styles from "./chat.module.css";

/** "Promote to task" on a text message (operators): creates an inbox task quoting the message. */
export function PromoteToTaskButton({ message, author, place }: { message: TChatMessage; author: string; place: string }) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (created) {
    return (
      <span className={styles.promoted} data-testid="promoted-task">
        Task created: <Link href={`/p/${project.slug}/tasks/${created.id}`}>{created.title}</Link>
      </span>
    );
  }
  const promote = async () => {
    setBusy(true);
    setError(null);
    try {
      const draft = taskFromMessage({ content: message.content, author, place, createdAt: new Date(message.created_at).toLocaleString() });
      const task = await createTask(client, { projectId: project.id, ...draft });
      store.getState().applyRows("tasks", [task]);
      setCreated({ id: task.id, title: task.title });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={`button small ${styles.promote}`} onClick={() => void promote()} disabled={busy}>
        {busy ? "Creating…" : "Promote to task"}
      </button>
      {error ? (
        <span role="alert" className={styles.deliveryError}>
          {error}
        </span>
      ) : null}
    </>
  );
}
