import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { applyProvisionRequest } from "./apply-provision-request.ts";
import { claimProvisionRequests } from "./claim-provision-requests.ts";

/** Applies queued agent provision requests: at start-up (Backup-mode writes), on realtime wake-ups and by polling. */
export interface TProvisionWorker {
  readonly state: TWorkerState;
  start(): void;
  /** Looks for queued requests now (realtime saw one). */
  wake(): void;
  /** Resolves when nothing is being applied (tests). */
  idle(): Promise<void>;
  /** Stops looking and waits up to `timeoutMs` for the request being applied. */
  stop(options: { timeoutMs: number }): Promise<void>;
}

/**
 * Creates the provision worker on the shared claim loop, one request at a time (oldest first, so
 * each agent's requests apply in order). A request that stays queued (an older one for the same
 * agent is being applied elsewhere) or could not be applied (the database is unreachable) holds the
 * slot for `pollIntervalMs` before the next look, so it is retried without a busy loop.
 */
export function createProvisionWorker(options: {
  db: TDb;
  executorId: string;
  pollIntervalMs: number;
  /** Only requests of these projects (null: every project). */
  projectIds?: readonly string[] | null;
  log: Logger;
}): TProvisionWorker {
  const log = options.log.child({ worker: "provisioning" });
  const deps = { db: options.db, executorId: options.executorId, log };
  const pause = (signal: AbortSignal) => delay(options.pollIntervalMs, undefined, { signal }).catch(() => undefined);
  let stopping: Promise<void> | null = null;

  const loop = createClaimLoop<{ id: string }>({
    what: "agent provision requests",
    concurrency: 1,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) => claimProvisionRequests(options.db, limit, options.projectIds ?? null),
    run: async ({ id }, signal) => {
      const answer = await applyProvisionRequest(deps, id).catch(async (err: unknown) => {
        log.error({ err, provisionRequestId: id }, "could not apply the agent provision request; trying again later");
        return null;
      });
      if (answer === null || answer.status === "queued") await pause(signal);
    },
    onRunError: (err, request) => log.error({ err, provisionRequestId: request.id }, "agent provision request failed unexpectedly"),
  });

  return {
    get state() {
      return loop.state;
    },
    start() {
      if (loop.state !== "created") return;
      loop.start();
      log.info({ pollIntervalMs: options.pollIntervalMs }, "provision worker running");
    },
    wake: () => loop.hint(),
    idle: () => loop.idle(),
    stop({ timeoutMs }) {
      if (loop.state === "stopped" || loop.state === "created") {
        loop.markStopped();
        return Promise.resolve();
      }
      stopping ??= (async () => {
        await loop.drain(timeoutMs);
        loop.markStopped();
      })();
      return stopping;
    },
  };
}
