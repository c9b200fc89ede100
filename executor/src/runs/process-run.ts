import { AppError, coerceError } from "@mission-control/shared/errors";
import type { TActionProposalInput, TChangesetInput } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import type { TAgentRuntime } from "../agents/create-agent-runtime.ts";
import type { TAgentStatusWriter } from "../agents/create-agent-status-writer.ts";
import { oneLine } from "../agents/set-agent-status.ts";
import { computeChangesetFiles } from "../changesets/compute-changeset-files.ts";
import { runTestCommand } from "../changesets/run-test-command.ts";
import { appendVerbosity } from "../context/describe-verbosity.ts";
import { fitReferencedDocs } from "../context/referenced-docs.ts";
import type { TDb } from "../db/executor-client.ts";
import { appendSkillNotes, applySkillGate } from "../skills/read-skill-gate.ts";
import { postTaskEvent } from "../tasks/post-task-event.ts";
import { buildRunBrief } from "./build-run-brief.ts";
import { createRunRecorder, type TRunRecorder } from "./create-run-recorder.ts";
import { isRunAborted } from "./create-run-worker.ts";
import type { TClaimedRun, TRunInput } from "./decode-claimed-runs.ts";
import { listProjectTasks } from "./list-project-tasks.ts";
import { meterRunProvider, type TRunMeter } from "./meter-run-provider.ts";
import { postRunReply } from "./post-run-reply.ts";
import { finishRun, handOffRun, proposeRunAction, proposeRunChangeset, RunNotRunningError } from "./run-rpcs.ts";
import { buildRunSystemPrompt, buildRunTools, runToolLoop, type TToolbox } from "./tool-loop/index.ts";

/** What working one run needs; shared by every run of a worker. */
export type TRunDeps = {
  db: TDb;
  executorId: string;
  workspaceDir: string;
  runtime: TAgentRuntime;
  statusWriter: TAgentStatusWriter;
  /** Reserves each model step against the budgets that apply and records it in provider_calls. */
  meter: TRunMeter;
  /**
   * Where the agent posts its task-thread updates (the Control API first, the database when it is
   * down): read at each post, null once this executor's own Control API has closed (stopping).
   */
  taskEvents: { controlApiUrl: () => string | null; serviceRoleKey: string };
  /** Programs a test command may start (RUN_TEST_ALLOWLIST). */
  testAllowlist: readonly string[];
  log: Logger;
};

const MODE_VERBS = { plan: "planning", implement: "implementing", test: "testing" } as const;

/**
 * Works one claimed run to its end: the agent shows "working" with the run, the task thread gets an
 * `agent_update` when it proposes and when it ends (the claim itself wrote "Started …"), and the
 * run's timeline gets every step. A
 * test run runs the project's test command (no model: zero tokens) and records pass / fail. A plan
 * or implement run resolves the agent's effective settings, offers the tools its profile enables and
 * runs the tool loop: read-only tools run in the workspace, a changeset or another action becomes a
 * proposal (an implement run then waits in needs_approval; the database completes it when the
 * proposal is resolved). Its answer goes to the run, the task thread and the chat thread it came
 * from. When the run is cancelled the signal aborts: the provider request is aborted and nothing
 * more is written (the database refuses writes for a run that is not running anyway). Failures
 * end the run `failed` with the reason in words.
 */
export async function processRun(deps: TRunDeps, claimed: TClaimedRun, signal: AbortSignal): Promise<void> {
  const { run } = claimed;
  const log = deps.log.child({ runId: run.id, agentKey: run.agent_key, mode: run.mode, attempt: run.attempts });
  if (claimed.input instanceof AppError) {
    await finishRun(deps.db, { executorId: deps.executorId, runId: run.id, outcome: "failed", summary: "", error: claimed.input.message });
    log.warn({ err: claimed.input }, "run failed before it started");
    return;
  }
  const input = claimed.input;
  const agentId = input.agent.id;
  const recorder = createRunRecorder({ db: deps.db, executorId: deps.executorId, runId: run.id, log });
  deps.statusWriter.set(agentId, { status: "working", currentAction: oneLine(`Run · ${MODE_VERBS[run.mode]}: ${run.goal}`, 300) });
  const startedAt = performance.now();
  try {
    if (run.mode === "test") await workTestRun(deps, input, recorder, signal);
    else await workModelRun(deps, input, recorder, signal, log);
    log.info({ ms: Math.round(performance.now() - startedAt) }, "run worked");
  } catch (err) {
    if (signal.aborted || isRunAborted(err) || err instanceof RunNotRunningError) {
      log.info({ reason: signal.reason instanceof Error ? signal.reason.message : String(err) }, "run stopped without finishing here");
      return;
    }
    const failure = coerceError(err);
    log.error({ err: failure }, "run failed");
    await recorder.flush().catch(() => {});
    await finishRun(deps.db, { executorId: deps.executorId, runId: run.id, outcome: "failed", summary: "", error: failure.message }).catch(
      (finishErr: unknown) => log.warn({ err: finishErr }, "could not record the run's failure; its lease will expire"),
    );
    await postUpdate(deps, input, `Failed: ${oneLine(failure.message, 500)}`, log);
  } finally {
    deps.statusWriter.set(agentId, { status: "idle", currentAction: "" });
  }
}

/** A test run: the configured command, its output and exit code into the run, pass or fail as its outcome. */
async function workTestRun(deps: TRunDeps, input: TRunInput, recorder: TRunRecorder, signal: AbortSignal): Promise<void> {
  const { run, settings } = input;
  const command = settings.test_command.trim();
  if (!command) {
    throw new AppError("invalid_input", {
      message: "This project has no test command: set one in Settings → Runs, then start the test run again",
    });
  }
  await recorder.event(
    { kind: "test_start", summary: oneLine(`Running ${command}`, 300), data: { command } },
    { current_step: `Running ${command}` },
  );
  let lastLine = "";
  const result = await runTestCommand({
    command,
    cwd: deps.workspaceDir,
    allowlist: deps.testAllowlist,
    timeoutMs: settings.test_timeout_seconds * 1_000,
    signal,
    onOutput: (chunk) => {
      const line = chunk.trim().split("\n").pop()?.trim();
      if (line && line !== lastLine) {
        lastLine = line;
        recorder.progress({ current_step: oneLine(`${command}: ${line}`, 300) });
      }
    },
  });
  const seconds = (result.durationMs / 1_000).toFixed(1);
  const verdict = result.timedOut
    ? `Tests timed out after ${seconds} s`
    : result.passed
      ? `Tests passed (exit 0, ${seconds} s)`
      : `Tests failed (exit ${result.exitCode ?? "signal"}, ${seconds} s)`;
  const test = {
    command: result.command,
    exit_code: result.exitCode,
    passed: result.passed,
    duration_ms: Math.round(result.durationMs),
    timed_out: result.timedOut,
    output_tail: result.outputTail,
  };
  await recorder.event({ kind: "test_result", summary: verdict, data: test }, { current_step: verdict });
  await recorder.flush();
  await finishRun(deps.db, {
    executorId: deps.executorId,
    runId: run.id,
    outcome: result.passed ? "completed" : "failed",
    summary: verdict,
    error: result.passed ? null : `${verdict}: ${lastLines(result.outputTail, 5)}`,
    test,
  });
  await postUpdate(deps, input, result.passed ? verdict : `${verdict}.\n\n\`\`\`\n${lastLines(result.outputTail, 20)}\n\`\`\``, deps.log);
}

/** A plan or implement run: the agent loop with the tools its profile enables. */
async function workModelRun(deps: TRunDeps, input: TRunInput, recorder: TRunRecorder, signal: AbortSignal, log: Logger): Promise<void> {
  const { run, agent } = input;
  const resolved = deps.runtime.resolveAgent({ agent, agentDefaults: input.agentDefaults, connections: input.connections });
  const { values } = resolved.run.effective;
  // A tool whose skill is not ready is not offered; the prompt says which skill is missing and why
  // (the gate came with the run's context).
  const gated = applySkillGate(buildRunTools(agent.tools_enabled, { mode: run.mode }), input.skillGate);
  const tools = gated.tools;
  const system = appendSkillNotes(
    buildRunSystemPrompt({
      agentPrompt: describeAgentForRun(input, values.verbosity, values.max_context_tokens),
      mode: run.mode,
      tools,
      maxSteps: run.max_steps,
    }),
    gated.notes,
  );
  recorder.progress({
    current_step: resolved.run.offline && resolved.run.fallbackReason ? oneLine(resolved.run.fallbackReason, 300) : "Thinking",
    settings: { effective: resolved.run.effective, model: resolved.run.model, offline: resolved.run.offline, notes: resolved.run.notes },
  });
  const provider = meterRunProvider(deps.meter, resolved.provider, {
    run,
    agentId: agent.id,
    budgetsApply: input.budgetsApply,
    modelRun: resolved.run,
    onCost: (costUsd) => recorder.progress({ cost_usd_delta: costUsd }),
  });
  let proposedChangeset = false;
  let handedOff = false;
  const result = await runToolLoop({
    provider,
    settings: { model: resolved.run.model, temperature: values.temperature, maxOutputTokens: values.max_output_tokens },
    system,
    messages: [{ role: "user", content: buildRunBrief(input) }],
    tools,
    toolbox: createToolbox(
      deps,
      input,
      () => {
        proposedChangeset = true;
      },
      () => {
        handedOff = true;
      },
    ),
    maxSteps: run.max_steps,
    signal,
    onEvent: (event) =>
      // A proposal's event is written by the database with the proposal itself (propose_run_changeset / propose_run_action).
      event.kind === "propose_changeset" || (event.kind === "tool_call" && event.data.proposal_id)
        ? recorder.progress({ current_step: oneLine(event.summary, 300) })
        : recorder.event(event, { current_step: oneLine(event.summary, 300) }),
    onUsage: (usage) => {
      recorder.progress({ step_count: usage.step, input_tokens_delta: usage.inputTokens, output_tokens_delta: usage.outputTokens });
    },
    // The run was cancelled, a budget stops it, or the database is gone: nothing the model can fix.
    isFatalError: (err) =>
      err instanceof RunNotRunningError ||
      isRunAborted(err) ||
      (err instanceof AppError && (err.code === "budget_exceeded" || err.code === "database_unreachable")),
  });
  if (result.outcome === "cancelled") {
    signal.throwIfAborted();
    return;
  }
  await recorder.flush();
  if (result.outcome === "proposed_changeset" || proposedChangeset) {
    log.info({ steps: result.steps }, "changeset proposed; the run waits for its review");
    return;
  }
  if (result.outcome === "handed_off" || handedOff) {
    // handoff_ai_run ended this run and queued the next agent's.
    log.info({ steps: result.steps }, "run handed off");
    return;
  }
  const answer = result.finalText.trim() || "(the agent finished without a word)";
  const finished = await finishRun(deps.db, {
    executorId: deps.executorId,
    runId: run.id,
    outcome: "completed",
    summary: answer.length <= 2_000 ? answer : `${answer.slice(0, 1_999)}…`,
  });
  await postUpdate(deps, input, answer, log);
  if (run.thread_id)
    await postRunReply(deps.db, { run, content: answer }).catch((err: unknown) =>
      log.warn({ err }, "could not post the run's answer to its thread"),
    );
  log.info({ steps: result.steps, outcome: result.outcome, status: finished.status }, "run answered");
}

/** The toolbox of one run: the task board from its context and the database, proposals through the run RPCs. */
function createToolbox(deps: TRunDeps, input: TRunInput, onChangeset: () => void, onEnded: () => void): TToolbox {
  const { run } = input;
  return {
    workspaceDir: deps.workspaceDir,
    async readTask(taskId) {
      const task = await deps.db
        .from("tasks")
        .select("id, title, description, status, priority, assignee_agent_key, labels, due_at, definition_of_done")
        .eq("project_id", run.project_id)
        .eq("id", taskId)
        .maybeSingle();
      if (task.error) throw new AppError("database_unreachable", { message: `Could not read task ${taskId}: ${task.error.message}` });
      if (!task.data) return null;
      const events = await deps.db
        .from("task_events")
        .select("kind, author_type, author_agent_key, content, created_at")
        .eq("task_id", taskId)
        .order("created_at", { ascending: false })
        .limit(30);
      return { ...task.data, thread: (events.data ?? []).reverse() };
    },
    listTasks: (filter, { signal }) => listProjectTasks(deps.db, run.project_id, filter, signal),
    async proposeChangeset(changeset: TChangesetInput) {
      const files = await computeChangesetFiles(deps.workspaceDir, changeset);
      const proposed = await proposeRunChangeset(deps.db, {
        executorId: deps.executorId,
        runId: run.id,
        changeset: { summary: changeset.summary, risk: changeset.risk, files },
      });
      onChangeset();
      const additions = files.reduce((sum, file) => sum + file.additions, 0);
      const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
      await postUpdate(
        deps,
        input,
        `Proposed a changeset for review: ${changeset.summary} (${files.length} ${files.length === 1 ? "file" : "files"}, +${additions} −${deletions}).`,
        deps.log,
      );
      return { changeset_id: proposed.changesetId, proposal_id: proposed.proposalId, additions, deletions };
    },
    async handOff(handoff) {
      const next = await handOffRun(deps.db, {
        executorId: deps.executorId,
        runId: run.id,
        toAgentKey: handoff.to_agent_key,
        note: handoff.note,
      });
      onEnded();
      await postUpdate(deps, input, `Handed over to @${handoff.to_agent_key}: ${oneLine(handoff.note, 500)}`, deps.log);
      return { run_id: next.id };
    },
    async proposeAction(proposal: TActionProposalInput) {
      const proposed = await proposeRunAction(deps.db, { executorId: deps.executorId, runId: run.id, proposal });
      return { proposal_id: proposed.proposalId };
    },
  };
}

/**
 * The agent's persona for a run: identity, its own prompt, verbosity, then the mission, its docs and
 * the docs the starting message referenced (at most a quarter of the context window: the loop's
 * steps need the rest; a cut doc is marked).
 */
function describeAgentForRun(input: TRunInput, verbosity: Parameters<typeof appendVerbosity>[1], maxContextTokens: number): string {
  const { agent } = input;
  const identity = `You are ${agent.display_name} (agent "${agent.agent_key}")${agent.role ? `, ${agent.role}` : ""}, one agent of a team working on this project.`;
  const own = agent.system_prompt.trim();
  const parts = [appendVerbosity(own ? `${identity}\n\n${own}` : identity, verbosity)];
  if (input.mission?.content.trim()) parts.push(`# Project mission\n${input.mission.content.trim()}`);
  for (const doc of input.agentDocs) {
    if (doc.content.trim()) parts.push(`# ${doc.title || doc.doc_type}\n${doc.content.trim()}`);
  }
  const room = Math.floor(maxContextTokens / 4);
  const referenced = fitReferencedDocs(input.referencedDocs, room, room);
  if (referenced.text) parts.push(referenced.text.trim());
  return parts.join("\n\n");
}

/** An agent_update in the run's task thread (when it has a task); best effort: the run's timeline has it anyway. */
async function postUpdate(deps: TRunDeps, input: TRunInput, content: string, log: Logger): Promise<void> {
  if (!input.run.task_id) return;
  const { controlApiUrl, serviceRoleKey } = deps.taskEvents;
  await postTaskEvent({ controlApiUrl: controlApiUrl(), serviceRoleKey, db: deps.db, log }, input.run.task_id, {
    kind: "agent_update",
    author_agent_key: input.run.agent_key,
    content,
    metadata: { run_id: input.run.id, mode: input.run.mode },
  }).catch((err: unknown) => log.warn({ err }, "could not post the run's update to its task thread"));
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
