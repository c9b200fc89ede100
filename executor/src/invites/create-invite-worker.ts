import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { createClaimLoop } from "../worker/create-claim-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { claimProjectInvites, type TClaimedInvite } from "./claim-project-invites.ts";
import { finishProjectInvite, type TInviteOutcome } from "./finish-project-invite.ts";

/** Mails queued project invites: at start-up, on realtime wake-ups and by polling. */
export interface TInviteWorker {
  readonly state: TWorkerState;
  start(): void;
  /** Looks for queued invites now (realtime saw one). */
  wake(): void;
  /** Resolves when no invite is being mailed (tests). */
  idle(): Promise<void>;
  /** Stops claiming and waits up to `timeoutMs` for the mails in flight. */
  stop(options: { timeoutMs: number }): Promise<void>;
}

/**
 * Creates the invite worker on the shared claim loop: claim due invites (skip locked), mail each
 * with `send`, record sent or failed. A failed attempt is retried by the database's back-off (the
 * invite stays queued with its error) up to the fifth; an outcome that could not be recorded (the
 * database is unreachable) is retried when the claim's two-minute lease runs out.
 */
export function createInviteWorker(options: {
  db: TDb;
  executorId: string;
  pollIntervalMs: number;
  /** Mails at once (each waits on the auth server). */
  concurrency?: number;
  /** Only invites of these projects (null: every project; empty: none). */
  projectIds: readonly string[] | null;
  send: (invite: TClaimedInvite) => Promise<TInviteOutcome>;
  log: Logger;
}): TInviteWorker {
  const log = options.log.child({ worker: "invites" });
  let stopping: Promise<void> | null = null;

  const loop = createClaimLoop<TClaimedInvite>({
    what: "project invites",
    concurrency: options.concurrency ?? 2,
    pollIntervalMs: options.pollIntervalMs,
    log,
    claim: (limit) => claimProjectInvites(options.db, { executorId: options.executorId, limit, projectIds: options.projectIds }),
    run: async (invite) => {
      const outcome = await options.send(invite);
      const jobLog = log.child({ inviteId: invite.id, projectId: invite.project_id, attempt: invite.attempts });
      if (outcome.status === "sent") jobLog.info({ via: outcome.via }, "invite mailed");
      else jobLog.warn({ error: outcome.error, retry: outcome.retry }, "could not mail the invite");
      await finishProjectInvite(options.db, { inviteId: invite.id, executorId: options.executorId, outcome }).catch((err: unknown) =>
        jobLog.error({ err }, "could not record the invite's outcome; it is claimed again when its lease runs out"),
      );
    },
    onRunError: (err, invite) => log.error({ err, inviteId: invite.id }, "mailing the invite failed unexpectedly"),
  });

  return {
    get state() {
      return loop.state;
    },
    start() {
      if (loop.state !== "created") return;
      loop.start();
      log.info({ pollIntervalMs: options.pollIntervalMs }, "invite worker running");
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
