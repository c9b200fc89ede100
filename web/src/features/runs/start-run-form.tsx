"use client";

import type { TAgent, TTask } from "@mission-control/shared/rows";
import { RUN_MODES, type TRunMode, ZRunStartInput } from "@mission-control/shared/schemas";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import styles from "./runs.module.css";
import { useRunActions } from "./use-run-actions.ts";

/** What each mode does, in the words the form shows under the mode. */
export const RUN_MODE_HINTS: Record<TRunMode, string> = {
  plan: "A numbered plan; nothing changes.",
  implement: "Reads the workspace and proposes a changeset for your approval.",
  test: "Runs the project's test command and reports.",
};

/**
 * "Start a run": agent, mode, goal and an optional task. Written with `start_ai_run` (the run id
 * is chosen once per goal, so sending again after a failure cannot start two runs), then the
 * executor is woken so it claims the run at once.
 */
export function StartRunForm({ agents, tasks, onDone }: { agents: TAgent[]; tasks: TTask[]; onDone: () => void }) {
  const { project } = useProject();
  const actions = useRunActions();
  const enabled = agents.filter((a) => a.enabled);
  const [agentKey, setAgentKey] = useState(enabled[0]?.agent_key ?? "");
  const [mode, setMode] = useState<TRunMode>("plan");
  const [goal, setGoal] = useState("");
  const [taskId, setTaskId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<{ id: string; notice: string | null } | null>(null);
  const runId = useRef<string>(crypto.randomUUID());
  const goalBox = useRef<HTMLTextAreaElement>(null);
  // The form opens to be typed in: the goal gets the focus.
  useEffect(() => goalBox.current?.focus(), []);
  const openTasks = tasks.filter((t) => t.status !== "done").sort((a, b) => a.title.localeCompare(b.title));

  const submit = async () => {
    // A test run needs no words: it runs the project's test command.
    const text = goal.trim() || (mode === "test" ? "Run the project's test command and report the result." : "");
    const input = ZRunStartInput.safeParse({ agent_key: agentKey, mode, goal: text, task_id: taskId || null });
    if (!input.success) {
      setError(input.error.issues.map((issue) => issue.message).join("; "));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await actions.start(input.data, runId.current);
      runId.current = crypto.randomUUID();
      setStarted({ id: outcome.result.id, notice: outcome.notice });
      setGoal("");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (enabled.length === 0) {
    return (
      <div className={styles.panel}>
        <p className="muted">
          No enabled agent to run. <Link href={`/p/${project.slug}/agents`}>Add or enable one on the Agents page</Link>.
        </p>
      </div>
    );
  }
  return (
    <form
      className={styles.panel}
      aria-label="Start a run"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={styles.formRow}>
        <label className={styles.field}>
          Agent
          <select value={agentKey} onChange={(e) => setAgentKey(e.target.value)} aria-label="Agent">
            {enabled.map((a) => (
              <option key={a.id} value={a.agent_key}>
                {a.display_name} (@{a.agent_key})
              </option>
            ))}
          </select>
        </label>
        <fieldset className={styles.modes}>
          <legend>Mode</legend>
          {RUN_MODES.map((m) => (
            <label key={m} className={styles.mode} data-checked={mode === m || undefined}>
              <input type="radio" name="run-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m}
            </label>
          ))}
        </fieldset>
        <label className={styles.field}>
          Task (optional)
          <select value={taskId} onChange={(e) => setTaskId(e.target.value)} aria-label="Task">
            <option value="">No task</option>
            {openTasks.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className={styles.modeHint}>{RUN_MODE_HINTS[mode]}</div>
      <textarea
        ref={goalBox}
        className={styles.goal}
        value={goal}
        onChange={(e) => setGoal(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            void submit();
          }
        }}
        placeholder={
          mode === "test"
            ? "What to check (optional detail for the report)"
            : "What should the agent do? e.g. Add a CHANGELOG entry for the runs page"
        }
        aria-label="Goal"
        rows={3}
      />
      <div className={styles.formActions}>
        <button
          type="submit"
          className="button primary small"
          disabled={busy || agentKey === "" || (goal.trim() === "" && mode !== "test")}
        >
          {busy ? "Starting…" : `Start ${mode} run`}
        </button>
        <button type="button" className="button small" onClick={onDone}>
          Close
        </button>
        <span className={styles.hint}>Ctrl+Enter starts it</span>
        {error ? (
          <span role="alert" className={styles.error}>
            {error}
          </span>
        ) : started ? (
          <span role="status" className={started.notice ? styles.notice : styles.ok}>
            {started.notice ?? "Started."} <Link href={`/p/${project.slug}/runs/${started.id}`}>Open the run</Link>
          </span>
        ) : null}
      </div>
    </form>
  );
}
