"use client";

import type { TAgent, TChatMessage } from "@mission-control/shared/rows";
import Link from "next/link";
import { useId, useRef, useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { createTask } from "../tasks/task-writes.ts";
import styles from "./chat.module.css";
import { draftPromotedTask, type TPromotedTaskDraft } from "./draft-promoted-task.ts";

/**
 * "Promote to task" on a text message (operators): opens a small dialog prefilled from the message
 * (title, description quoting it, assignee) to edit before the inbox task is created.
 */
export function PromoteToTaskButton({
  message,
  author,
  place,
  agentsByKey,
}: {
  message: TChatMessage;
  author: string;
  place: string;
  agentsByKey: Map<string, TAgent>;
}) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [draft, setDraft] = useState<TPromotedTaskDraft | null>(null);
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
  const open = () => {
    setDraft(
      draftPromotedTask({
        content: message.content,
        author,
        place,
        createdAt: new Date(message.created_at).toLocaleString(),
        knownAgentKeys: new Set(agentsByKey.keys()),
      }),
    );
    setError(null);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();
  const create = async () => {
    if (!draft) return;
    if (!draft.title.trim()) {
      setError("Give the task a title.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const task = await createTask(client, {
        projectId: project.id,
        title: draft.title,
        description: draft.description,
        assigneeAgentKey: draft.assigneeAgentKey || null,
      });
      store.getState().applyRows("tasks", [task]);
      close();
      setCreated({ id: task.id, title: task.title });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const agents = [...agentsByKey.values()].filter((a) => a.enabled).sort((a, b) => a.display_name.localeCompare(b.display_name));
  return (
    <>
      <button type="button" className={`button small ${styles.promote}`} onClick={open}>
        Promote to task
      </button>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${id}-title`} onClose={() => setDraft(null)}>
        {draft ? (
          <form
            method="dialog"
            className={styles.dialogForm}
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <h2 id={`${id}-title`} className={styles.dialogTitle}>
              Promote to task
            </h2>
            <label htmlFor={`${id}-t`}>Title</label>
            <input
              id={`${id}-t`}
              value={draft.title}
              maxLength={300}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              required
            />
            <label htmlFor={`${id}-d`}>Description</label>
            <textarea
              id={`${id}-d`}
              value={draft.description}
              rows={6}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            />
            <label htmlFor={`${id}-a`}>Assignee</label>
            <select
              id={`${id}-a`}
              value={draft.assigneeAgentKey}
              onChange={(e) => setDraft({ ...draft, assigneeAgentKey: e.target.value })}
            >
              <option value="">Unassigned (stays in the inbox)</option>
              {agents.map((a) => (
                <option key={a.agent_key} value={a.agent_key}>
                  {a.display_name}
                </option>
              ))}
            </select>
            {error ? (
              <p role="alert" className={styles.deliveryError}>
                {error}
              </p>
            ) : null}
            <div className={styles.dialogActions}>
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" className="button primary" disabled={busy}>
                {busy ? "Creating…" : "Create task"}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </>
  );
}
