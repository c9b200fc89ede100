"use client";

import type { TTask } from "@mission-control/shared/rows";
import Link from "next/link";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { HANDOFF_NOTE_MAX_CHARS, handoffAiTask } from "./handoff-ai-task.ts";
import styles from "./runs.module.css";
import { wakeRun } from "./wake-run.ts";

/**
 * "Hand off…" on a task page (operators): pick the agent that takes the task over and write it a
 * note. The database cancels the task's active runs, assigns the task and queues an implement run
 * with the note (`handoff_ai_task`); then the executor is woken so the agent starts now. In Backup
 * the run waits in the queue, and the form says so.
 */
export function HandOffTask({ task }: { task: TTask }) {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const store = useLiveStoreApi();
  const agents = useProjectAgents(project.id)
    .map(({ agent }) => agent)
    .filter((agent) => agent.enabled);
  const [open, setOpen] = useState(false);
  const [agentKey, setAgentKey] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What the last hand-off did; `queued` when the executor did not take the run at once (Backup).
  const [done, setDone] = useState<{ runId: string; agentKey: string; queued: boolean } | null>(null);
  const noteBox = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const firstOther = agents.find((agent) => agent.agent_key !== task.assignee_agent_key)?.agent_key ?? agents[0]?.agent_key ?? "";

  useEffect(() => {
    if (open) noteBox.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    setError(null);
    // Back to where the operator was, so the keyboard does not lose its place.
    requestAnimationFrame(() => opener.current?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = note.trim();
    if (!agentKey) {
      setError("Pick the agent that takes the task over.");
      return;
    }
    if (text === "") {
      setError(`Write a note for @${agentKey}: what is done, what is left, what to watch out for.`);
      noteBox.current?.focus();
      return;
    }
    if (text.length > HANDOFF_NOTE_MAX_CHARS) {
      setError(
        `The note is ${text.length.toLocaleString("en-US")} characters: keep it to ${HANDOFF_NOTE_MAX_CHARS.toLocaleString("en-US")}.`,
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await executeWithFallback(
        {
          write: async () => {
            const result = await handoffAiTask(client, { taskId: task.id, agentKey, note: text });
            store.getState().applyRows("ai_runs", [...result.runs, result.run]);
            if (result.task) store.getState().applyRows("tasks", [result.task]);
            return result.run;
          },
          notify: (run) => wakeRun({ controlApiUrl, accessToken: session.access_token, runId: run.id }),
        },
        createFallbackDeps(store),
      );
      setDone({ runId: outcome.result.id, agentKey, queued: outcome.pickup === "queued" });
      setNote("");
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (agents.length === 0) return null;
  if (!open) {
    return (
      <>
        <button
          ref={opener}
          type="button"
          className="button small"
          onClick={() => {
            setAgentKey(firstOther);
            setDone(null);
            setOpen(true);
          }}
        >
          Hand off…
        </button>
        {done ? (
          <span className={styles.handOffDone} role="status" data-testid="handoff-done">
            Handed to @{done.agentKey} · <Link href={`/p/${project.slug}/runs/${done.runId}`}>its run</Link>
            {done.queued ? " waits for the executor" : ""}
          </span>
        ) : null}
      </>
    );
  }
  return (
    <form
      className={styles.handOffForm}
      aria-label="Hand off the task"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") close();
      }}
      noValidate
    >
      <label className={styles.field}>
        Hand off to
        <select value={agentKey} onChange={(e) => setAgentKey(e.target.value)} disabled={busy}>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.agent_key}>
              {agent.display_name} (@{agent.agent_key}){agent.agent_key === task.assignee_agent_key ? " · assigned now" : ""}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        Note for @{agentKey || "the agent"}
        <textarea
          ref={noteBox}
          className={styles.goal}
          value={note}
          rows={3}
          required
          maxLength={HANDOFF_NOTE_MAX_CHARS}
          disabled={busy}
          placeholder="What is done, what is left, what to watch out for"
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
      </label>
      <p className={styles.hintLine}>
        Cancels the task's active runs, assigns it to @{agentKey || "…"} and starts an implement run with your note.
      </p>
      <div className={styles.formActions}>
        <button type="submit" className="button small primary" disabled={busy}>
          {busy ? "Handing off…" : "Hand off"}
        </button>
        <button type="button" className="button small" onClick={close} disabled={busy}>
          Cancel
        </button>
      </div>
      {error ? (
        <p role="alert" className={styles.error} style={{ margin: 0 }}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
