import type { THealthReport } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import { buildProviderSettings } from "../agents/build-provider-settings.ts";
import { createAgentLoad } from "../agents/create-agent-load.ts";
import { createAgentRuntime, type TAgentRuntime } from "../agents/create-agent-runtime.ts";
import { createAgentStatusWriter } from "../agents/create-agent-status-writer.ts";
import { createOperatorNames } from "../agents/create-operator-names.ts";
import { markAgentsOffline } from "../agents/mark-agents-offline.ts";
import { markAgentsOnline } from "../agents/mark-agents-online.ts";
import { createApprovalWorker, type TApprovalWorker } from "../approvals/create-approval-worker.ts";
import { executeProposal } from "../approvals/execute-proposal.ts";
import { subscribeApprovalWakeups } from "../approvals/subscribe-approval-wakeups.ts";
import { createRollbackWorker } from "../changesets/create-rollback-worker.ts";
import { recoverChangesetsAtStart } from "../changesets/recover-changesets-at-start.ts";
import { subscribeRollbackWakeups } from "../changesets/subscribe-rollback-wakeups.ts";
import { createControlApi } from "../control-api/create-control-api.ts";
import { createExecutorClient, type TDb } from "../db/executor-client.ts";
import { createDeliveryWorker, type TDeliveryWorker, type TWorkerStopReport } from "../delivery/create-delivery-worker.ts";
import { processDelivery, type TDeliveryDeps } from "../delivery/process-delivery.ts";
import { createCallReserver } from "../delivery/reserve-provider-call.ts";
import { subscribeDeliveryWakeups } from "../delivery/subscribe-delivery-wakeups.ts";
import { readChildProcessEnv, type TExecutorEnv } from "../env.ts";
import { checkHealth } from "../health/check-health.ts";
import { createInviteMailer } from "../invites/create-invite-mailer.ts";
import { readProviderKeks } from "../keys/provider-keks.ts";
import { createLogger } from "../log/create-logger.ts";
import { announcePresence } from "../presence/announce-presence.ts";
import { createPresenceHeartbeat } from "../presence/create-presence-heartbeat.ts";
import { markPresenceStopped } from "../presence/mark-presence-stopped.ts";
import { applyProvisionRequest } from "../provisioning/apply-provision-request.ts";
import { createProvisionWorker } from "../provisioning/create-provision-worker.ts";
import { subscribeProvisionWakeups } from "../provisioning/subscribe-provision-wakeups.ts";
import { createRunMeter } from "../runs/create-run-meter.ts";
import { createRunWorker, type TRunWorker } from "../runs/create-run-worker.ts";
import { processRun } from "../runs/process-run.ts";
import { subscribeRunWakeups } from "../runs/subscribe-run-wakeups.ts";
import { createScheduler } from "../schedule/create-scheduler.ts";
import { applyScheduleRequests } from "../schedule/schedule-rpcs.ts";
import { createSkillsChecker } from "../skills/create-skills-checker.ts";
import { subscribeSkillWakeups } from "../skills/subscribe-skill-wakeups.ts";
import { createWatchdog } from "../watchdog/create-watchdog.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { readVersion } from "./read-version.ts";

/** A running executor: Control API, delivery, approval, run and rollback workers, watchdog and presence heartbeat. */
export interface TExecutor {
  readonly executorId: string;
  readonly startedAt: Date;
  readonly version: string;
  /** Where the Control API listens. */
  readonly controlApiUrl: string;
  readonly state: TWorkerState;
  readonly db: TDb;
  readonly worker: TDeliveryWorker;
  readonly approvals: TApprovalWorker;
  readonly runs: TRunWorker;
  health(): Promise<THealthReport>;
  /** Runs the watchdog now (tests). */
  runWatchdog(): void;
  /**
   * Graceful stop: stop accepting API calls, stop claiming, wait up to SHUTDOWN_TIMEOUT_MS for
   * deliveries and actions in flight, release the deliveries left (actions are interrupted and
   * recorded, never handed back), stamp presence stopped_at, close connections.
   */
  stop(): Promise<TWorkerStopReport>;
}

/** Optional seams for tests and benchmarks. */
export type TExecutorOverrides = {
  log?: Logger;
  /** Replaces the providers built from the environment (e.g. a fake server with fewer internal retries). */
  providers?: Record<string, unknown>;
  runtime?: TAgentRuntime;
  /** Only apply agent provision requests of these projects (tests that share one database); default every project. */
  provisionProjectIds?: readonly string[];
  /** The environment skill requirements are checked against; default the executor's own, without its secrets. */
  skillsEnv?: () => NodeJS.ProcessEnv;
};

/** Starts every part of the executor in order and returns when it is claiming work. */
export async function startExecutor(env: TExecutorEnv, overrides: TExecutorOverrides = {}): Promise<TExecutor> {
  const log = overrides.log ?? createLogger({ level: env.LOG_LEVEL, executorId: env.EXECUTOR_ID });
  const version = readVersion();
  const startedAt = new Date();
  const executorId = env.EXECUTOR_ID;
  const db = createExecutorClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, { requestTimeoutMs: env.DB_REQUEST_TIMEOUT_MS });
  // Decoded once: the runtime decrypts connection keys with them, the Control API encrypts new ones.
  const keks = readProviderKeks(env);
  const runtime =
    overrides.runtime ??
    createAgentRuntime({
      providers: overrides.providers ?? buildProviderSettings(env),
      keks,
      workspaceDir: env.WORKSPACE_DIR,
      log,
    });
  let state: TWorkerState = "starting";

  const statusWriter = createAgentStatusWriter(db, log);
  const operatorNames = createOperatorNames(db);
  const reserver = createCallReserver(db);
  // Agents post their task-thread updates to this executor's own Control API (known once it listens;
  // null once it closed while stopping: runs still draining then write to the database directly).
  let agentsControlApiUrl: string | null = `http://127.0.0.1:${env.CONTROL_API_PORT}`;
  const controlApiUrlForAgents = () => agentsControlApiUrl;
  const deliveryDeps: TDeliveryDeps = {
    db,
    executorId,
    runtime,
    operatorNames,
    statusWriter,
    retry: { baseMs: env.DELIVERY_RETRY_BASE_MS, maxMs: env.DELIVERY_RETRY_MAX_MS },
    agentLoad: createAgentLoad(),
    reserver,
    log,
  };
  const worker = createDeliveryWorker({
    db,
    executorId,
    concurrency: env.WORKER_CONCURRENCY,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    historyLimit: env.HISTORY_MESSAGES,
    // A claim request ends within DB_REQUEST_TIMEOUT_MS; a delivery held longer without running is orphaned.
    orphans: { afterMs: env.DB_REQUEST_TIMEOUT_MS + 5_000, checkEveryMs: Math.max(1_000, env.DB_REQUEST_TIMEOUT_MS / 2) },
    log,
    process: (claimed, signal) => processDelivery(deliveryDeps, claimed, signal),
  });
  const approvals = createApprovalWorker({
    db,
    executorId,
    concurrency: env.APPROVAL_CONCURRENCY,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    projectIds: env.APPROVAL_PROJECT_IDS,
    log,
    execute: (proposal, signal) =>
      executeProposal(
        {
          db,
          executorId,
          workspaceDir: env.WORKSPACE_DIR,
          apiCall: { defaultTimeoutMs: env.API_CALL_TIMEOUT_MS, maxBodyChars: env.API_CALL_MAX_BODY_CHARS },
          log,
        },
        proposal,
        signal,
      ),
  });
  const provisioning = createProvisionWorker({
    db,
    executorId,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    projectIds: overrides.provisionProjectIds ?? null,
    log,
  });
  const runs = createRunWorker({
    db,
    executorId,
    concurrency: env.RUN_CONCURRENCY,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    leaseSeconds: env.RUN_LEASE_SECONDS,
    heartbeatMs: env.RUN_HEARTBEAT_MS,
    projectIds: env.RUN_PROJECT_IDS,
    log,
    process: (claimed, signal) =>
      processRun(
        {
          db,
          executorId,
          workspaceDir: env.WORKSPACE_DIR,
          runtime,
          statusWriter,
          meter: createRunMeter(db, reserver),
          taskEvents: { controlApiUrl: controlApiUrlForAgents, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY },
          testAllowlist: env.RUN_TEST_ALLOWLIST,
          log,
        },
        claimed,
        signal,
      ),
  });
  const skills = createSkillsChecker({
    db,
    executorId,
    workspaceDir: env.WORKSPACE_DIR,
    testAllowlist: env.RUN_TEST_ALLOWLIST,
    globalProviders: new Set(
      [env.OPENAI_API_KEY ? "openai_compatible" : null, env.ANTHROPIC_API_KEY ? "anthropic" : null].filter((kind) => kind !== null),
    ),
    readEnv: overrides.skillsEnv ?? (() => readChildProcessEnv()),
    intervalMs: env.SKILLS_CHECK_INTERVAL_MS,
    // Its verdicts gate the tools of the runs it works.
    projectIds: env.RUN_PROJECT_IDS.length > 0 ? env.RUN_PROJECT_IDS : null,
    log,
  });
  // Invites are mailed for the projects this executor serves (RUN_PROJECT_IDS; empty: every project).
  const invites = createInviteMailer({
    db,
    supabaseUrl: env.SUPABASE_URL,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    webOrigins: env.WEB_ORIGIN,
    executorId,
    pollIntervalMs: env.POLL_INTERVAL_MS,
    realtimeWakeups: env.REALTIME_WAKEUPS,
    projectIds: env.RUN_PROJECT_IDS.length > 0 ? env.RUN_PROJECT_IDS : null,
    log,
  });
  const rollbacks = createRollbackWorker({ db, executorId, workspaceDir: env.WORKSPACE_DIR, pollIntervalMs: env.POLL_INTERVAL_MS, log });
  const scheduler =
    env.SCHEDULER_TICK_MS > 0
      ? createScheduler({
          db,
          executorId,
          now: () => new Date(),
          tickMs: env.SCHEDULER_TICK_MS,
          leaseSeconds: 60,
          graceSeconds: env.SCHEDULER_MISSED_AFTER_SECONDS,
          projectIds: env.RUN_PROJECT_IDS,
          batchSize: 1_000,
          log,
        })
      : null;
  const watchdog = createWatchdog({
    db,
    intervalMs: env.WATCHDOG_INTERVAL_MS,
    stuckAfterMs: env.WATCHDOG_STUCK_AFTER_MS,
    deadAfterMs: env.PRESENCE_INTERVAL_MS * 3,
    proposalStuckAfterMs: env.APPROVAL_STUCK_AFTER_MS,
    executorStartedAt: startedAt,
    log,
  });
  const heartbeat = createPresenceHeartbeat({ db, executorId, intervalMs: env.PRESENCE_INTERVAL_MS, log });
  const health = () =>
    checkHealth(db, {
      version,
      executorId,
      startedAt,
      worker: { state: worker.state, inFlight: worker.inFlight, concurrency: env.WORKER_CONCURRENCY },
      approvals: { state: approvals.state, inFlight: approvals.inFlight, concurrency: env.APPROVAL_CONCURRENCY },
    });
  const api = createControlApi({
    host: env.CONTROL_API_HOST,
    port: env.CONTROL_API_PORT,
    allowedOrigins: env.WEB_ORIGIN,
    db,
    log,
    health,
    claimMessage: (messageId) => worker.claimMessage(messageId),
    claimProposal: (proposalId) => approvals.claimProposal(proposalId),
    applyProvision: (requestId) => applyProvisionRequest({ db, executorId, log }, requestId),
    wakeRun: (runId, status) => runs.wakeRun(runId, status),
    wakeRollbacks: () => rollbacks.wake(),
    checkSkill: (skillId) => skills.checkSkill(skillId),
    applySchedule: async (projectId) => {
      const applied = await applyScheduleRequests(db, { executorId, now: new Date(), projectIds: [projectId] });
      scheduler?.runNow();
      return { applied };
    },
    keks,
    workspaceDir: env.WORKSPACE_DIR,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
  });

  const listenUrl = await api.listen();
  const controlApiUrl = env.CONTROL_API_PUBLIC_URL ?? listenUrl;
  agentsControlApiUrl = listenUrl;
  try {
    await announcePresence(db, { executorId, version, controlApiUrl, startedAt });
  } catch (err) {
    await api.close();
    await runtime.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError("database_unreachable", {
      message: `Cannot reach Supabase at ${env.SUPABASE_URL} (${reason}): start the local stack with \`pnpm stack\`, or check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY`,
      cause: err,
    });
  }
  const wakeups = env.REALTIME_WAKEUPS
    ? subscribeDeliveryWakeups(db, {
        wake: () => worker.wake(),
        wakeAt: (at) => worker.wakeAt(at),
        log,
        channelName: `executor-deliveries-${executorId}`,
      })
    : null;
  const approvalWakeups = env.REALTIME_WAKEUPS
    ? subscribeApprovalWakeups(db, { wake: () => approvals.wake(), log, channelName: `executor-approvals-${executorId}` })
    : null;
  const provisionWakeups = env.REALTIME_WAKEUPS
    ? subscribeProvisionWakeups(db, { wake: () => provisioning.wake(), log, channelName: `executor-provisioning-${executorId}` })
    : null;
  const runWakeups = env.REALTIME_WAKEUPS
    ? subscribeRunWakeups(db, {
        wake: () => runs.wake(),
        cancelled: (runId) => runs.abortRun(runId),
        log,
        channelName: `executor-runs-${executorId}`,
      })
    : null;
  const rollbackWakeups = env.REALTIME_WAKEUPS
    ? subscribeRollbackWakeups(db, { wake: () => rollbacks.wake(), log, channelName: `executor-rollbacks-${executorId}` })
    : null;
  const skillWakeups = env.REALTIME_WAKEUPS
    ? subscribeSkillWakeups(db, { wake: () => skills.runNow(), log, channelName: `executor-skills-${executorId}` })
    : null;
  // A changeset apply or rollback cut short by a crash is finished or undone before anything else runs.
  await recoverChangesetsAtStart({ db, workspaceDir: env.WORKSPACE_DIR, log });
  await markAgentsOnline(db).catch((err: unknown) => log.warn({ err }, "could not mark the agents online"));
  // The first check starts now, with the workers: a run that starts before it ends sees the last verdicts.
  skills.start();
  worker.start();
  approvals.start();
  runs.start();
  rollbacks.start();
  scheduler?.start();
  // Agent changes written while no executor ran (Backup mode) apply now.
  provisioning.start();
  invites.start();
  watchdog.start();
  heartbeat.start();
  if (wakeups && !(await wakeups.ready)) log.warn("realtime wake-ups are not subscribed yet; polling every POLL_INTERVAL_MS meanwhile");
  if (approvalWakeups && !(await approvalWakeups.ready))
    log.warn("approval wake-ups are not subscribed yet; polling every POLL_INTERVAL_MS meanwhile");
  state = "running";
  log.info({ controlApiUrl, version, concurrency: env.WORKER_CONCURRENCY }, "executor running");

  let stopping: Promise<TWorkerStopReport> | null = null;
  const stop = async (): Promise<TWorkerStopReport> => {
    state = "stopping";
    log.info({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS, inFlight: worker.inFlight }, "executor stopping");
    await api.close();
    agentsControlApiUrl = null;
    await wakeups?.close().catch(() => {});
    await approvalWakeups?.close().catch(() => {});
    await provisionWakeups?.close().catch(() => {});
    await runWakeups?.close().catch(() => {});
    await rollbackWakeups?.close().catch(() => {});
    await watchdog.stop();
    await scheduler?.stop();
    await skillWakeups?.close().catch(() => {});
    await skills.stop();
    const [report] = await Promise.all([
      worker.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
      approvals.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
      provisioning.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
      runs.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
      rollbacks.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
      invites.stop({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }),
    ]);
    await heartbeat.stop();
    await statusWriter.flush();
    await markAgentsOffline(db, { executorId, aliveWithinMs: env.PRESENCE_INTERVAL_MS * 3 }).catch((err: unknown) =>
      log.warn({ err }, "could not mark the agents offline"),
    );
    await markPresenceStopped(db, executorId).catch((err: unknown) => log.warn({ err }, "could not stamp presence stopped_at"));
    await db.removeAllChannels().catch(() => []);
    db.realtime.disconnect();
    await runtime.close();
    state = "stopped";
    log.info(report, "executor stopped");
    return report;
  };

  return {
    executorId,
    startedAt,
    version,
    controlApiUrl,
    db,
    worker,
    approvals,
    runs,
    get state() {
      return state;
    },
    health,
    runWatchdog: () => watchdog.runNow(),
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
