import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TApplyScheduleAnswer, TCheckSkillAnswer, THealthReport, TProvisionAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TProposalRow } from "../actions/action-types.ts";
import type { TDb, TDeliveryRow } from "../db/executor-client.ts";
import type { TKeks } from "../keys/provider-keks.ts";
import { applyCors } from "./apply-cors.ts";
import { createPresenceStreams } from "./create-presence-stream.ts";
import { createTokenVerifier, type TTokenVerifier } from "./create-token-verifier.ts";
import { dispatchRoute, type TRouteHandlers } from "./dispatch-route.ts";
import { handleApplySchedule } from "./handle-apply-schedule.ts";
import { handleCheckSkill } from "./handle-check-skill.ts";
import { handleDeliver } from "./handle-deliver.ts";
import { handleExecuteApproval } from "./handle-execute-approval.ts";
import { handleHealth } from "./handle-health.ts";
import { handleProvisionAgent } from "./handle-provision-agent.ts";
import { handleReadChangesetCurrent } from "./handle-read-changeset-current.ts";
import { handleSetProviderKey } from "./handle-set-provider-key.ts";
import { handleTaskEvent } from "./handle-task-event.ts";
import { handleTestProvider } from "./handle-test-provider.ts";
import { handleWakeRun } from "./handle-wake-run.ts";
import { sendError } from "./send-json.ts";

/** The executor's HTTP API for the dashboard. */
export interface TControlApi {
  /** Listens on host:port (port 0 picks a free one) and returns the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, refuses new deliveries, waits for open requests (idle keep-alive sockets are closed). */
  close(): Promise<void>;
  readonly url: string | null;
}

/**
 * Creates the Control API (node:http) serving the routes of `CONTROL_API_ROUTES` and the presence stream (GET /health/stream)
 * (`@mission-control/shared/control-api`): GET /health, POST /api/chat/deliver, POST
 * /api/approvals/:proposalId/execute (operators), POST /api/tasks/:taskId/events (agents, service
 * role key), POST /api/agents/provision, /api/providers/:connectionId/key and
 * /api/providers/:connectionId/test, POST /api/runs/:runId/wake and GET
 * /api/changesets/:changesetId/current, POST /api/skills/:skillId/check (operators), with CORS for the dashboard's origins, JSON errors
 * `{error: {code, message}}` and 404 for anything else.
 */
export function createControlApi(options: {
  host: string;
  port: number;
  allowedOrigins: readonly string[];
  db: TDb;
  log: Logger;
  health: () => Promise<THealthReport>;
  claimMessage: (messageId: string) => Promise<TDeliveryRow[]>;
  claimProposal: (proposalId: string) => Promise<TProposalRow | null>;
  /** Applies a queued agent change now (the provisioning worker's apply). */
  applyProvision: (requestId: string) => Promise<TProvisionAnswer>;
  /** Looks at one run now (the run worker's wakeRun): claims it when queued, aborts it when cancelled. */
  wakeRun: (runId: string, status: string) => Promise<string>;
  /** Rings the rollback worker. */
  wakeRollbacks: () => void;
  /** Checks one skill now and returns the verdict it wrote (the skills checker's checkSkill). */
  checkSkill: (skillId: string) => Promise<TCheckSkillAnswer>;
  /** Applies a project's queued schedule requests now and rings the scheduler. */
  applySchedule: (projectId: string) => Promise<TApplyScheduleAnswer>;
  /** Key-encryption keys, current first (empty: keys cannot be stored or used). */
  keks: TKeks;
  /** The workspace: where CLI agents run when a connection is tested, and what changesets change. */
  workspaceDir: string;
  /** Agents authenticate task events with it. */
  serviceRoleKey: string;
  verifier?: TTokenVerifier;
}): TControlApi {
  const log = options.log.child({ component: "control-api" });
  const verifier = options.verifier ?? createTokenVerifier(options.db);
  let accepting = true;
  let url: string | null = null;

  const { db, claimMessage, claimProposal, applyProvision, wakeRun, wakeRollbacks, checkSkill, keks, workspaceDir } = options;
  const handlers: TRouteHandlers = {
    health: () => handleHealth(options.health),
    deliver: (input) => handleDeliver(input, { db, claimMessage, accepting: () => accepting, log }),
    executeApproval: (input) => handleExecuteApproval(input, { db, claimProposal, accepting: () => accepting, log }),
    postTaskEvent: (input) => handleTaskEvent(input, { db, log }),
    provisionAgent: (input) => handleProvisionAgent(input, { db, applyProvision, accepting: () => accepting, log }),
    setProviderKey: (input) => handleSetProviderKey(input, { db, keks, log }),
    testProvider: (input) => handleTestProvider(input, { db, keks, workspaceDir, log }),
    wakeRun: (input) => handleWakeRun(input, { db, wakeRun, wakeRollbacks, accepting: () => accepting, log }),
    readChangesetCurrent: (input) => handleReadChangesetCurrent(input, { db, workspaceDir }),
    checkSkill: (input) => handleCheckSkill(input, { db, checkSkill, accepting: () => accepting, log }),
    applySchedule: (input) => handleApplySchedule(input, { db, applySchedule: options.applySchedule, accepting: () => accepting, log }),
  };

  const presence = createPresenceStreams();
  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (applyCors(req, res, options.allowedOrigins)) return;
    if (presence.handle(req, res)) return;
    await dispatchRoute(req, res, { handlers, verifier, serviceRoleKey: options.serviceRoleKey });
  };

  const server = http.createServer((req, res) => {
    const started = performance.now();
    route(req, res)
      .catch((err: unknown) => {
        if (!(err instanceof AppError)) log.error({ err, method: req.method, url: req.url }, "control API request failed");
        sendError(res, err);
      })
      .finally(() => {
        log.debug(
          { method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) },
          "control API request",
        );
      });
  });
  server.keepAliveTimeout = 5_000;

  return {
    get url() {
      return url;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, options.host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
          url = `http://${host}:${address.port}`;
          resolve(url);
        });
      });
    },
    close() {
      accepting = false;
      presence.endAll();
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
