import type { Database, Json } from "@mission-control/shared/db";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";

/** One row of public.action_proposals. */
export type TProposalRow = Database["public"]["Tables"]["action_proposals"]["Row"];

/** What every action gets: the service-role client, the proposal being executed and the executor's limits. */
export type TActionContext = {
  db: TDb;
  /** The claimed proposal (status executing), with its approved params. */
  proposal: TProposalRow;
  /** file_write stays inside this directory. */
  workspaceDir: string;
  apiCall: { defaultTimeoutMs: number; maxBodyChars: number };
  /** Aborts when the executor shuts down (only api_call can be interrupted). */
  signal: AbortSignal;
  log: Logger;
};

/**
 * How an action ended: `executed` with a result (what changed, plus what a rollback needs), or
 * `failed` with a reason that says what to do and, when something was already learnt, a result.
 */
export type TActionOutcome = { ok: true; result: Json } | { ok: false; error: string; result?: Json };

/** The outcome of an action that was refused or went wrong before it changed anything. */
export function refused(error: string, result?: Json): TActionOutcome {
  return result === undefined ? { ok: false, error } : { ok: false, error, result };
}
