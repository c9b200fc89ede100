import { createSupabaseClient } from "@mission-control/shared/db";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import type { TTableWakeups } from "../worker/subscribe-table-wakeups.ts";
import { createInviteWorker, type TInviteWorker } from "./create-invite-worker.ts";
import { sendInviteMail } from "./send-invite-mail.ts";
import { subscribeInviteWakeups } from "./subscribe-invite-wakeups.ts";

/** The invite mailer of a running executor: its worker and realtime wake-ups. */
export interface TInviteMailer {
  readonly worker: TInviteWorker;
  start(): void;
  stop(options: { timeoutMs: number }): Promise<void>;
}

/**
 * Builds the invite mailer from the executor's settings: mails go through the auth admin API of
 * `supabaseUrl` and their links land on the first of the web origins (<origin>/auth/accept).
 * `projectIds` scopes it like the other project-scoped workers (null: every project).
 */
export function createInviteMailer(options: {
  db: TDb;
  supabaseUrl: string;
  serviceRoleKey: string;
  webOrigins: readonly string[];
  executorId: string;
  pollIntervalMs: number;
  realtimeWakeups: boolean;
  projectIds: readonly string[] | null;
  log: Logger;
}): TInviteMailer {
  // Magic links for existing accounts: a client that keeps no session, with the implicit flow so
  // the link carries the session itself (a PKCE verifier would stay in this process).
  const otp = createSupabaseClient(options.supabaseUrl, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: "implicit" },
  });
  const deps = {
    admin: options.db,
    otp,
    webOrigin: options.webOrigins[0] ?? "http://localhost:3000",
    authUrl: `${options.supabaseUrl.replace(/\/+$/, "")}/auth/v1`,
  };
  const worker = createInviteWorker({
    db: options.db,
    executorId: options.executorId,
    pollIntervalMs: options.pollIntervalMs,
    projectIds: options.projectIds,
    send: (invite) => sendInviteMail(deps, invite),
    log: options.log,
  });
  let wakeups: TTableWakeups | null = null;
  return {
    worker,
    start() {
      worker.start();
      if (options.realtimeWakeups && !wakeups) {
        wakeups = subscribeInviteWakeups(options.db, {
          wake: () => worker.wake(),
          log: options.log,
          channelName: `executor-invites-${options.executorId}`,
        });
      }
    },
    async stop({ timeoutMs }) {
      await wakeups?.close().catch(() => {});
      await worker.stop({ timeoutMs });
    },
  };
}
