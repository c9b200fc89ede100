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
 * How recording an executed action's outcome ended: `recorded`; `claim_lost` (the database refused
 * the record: the proposal was failed meanwhile, it is not executed); `unknown` (the database
 * could not be reached: the record may or may not have landed).
 */
export type TRecording = "recorded" | "claim_lost" | "unknown";

/**
 * How an action ended: `executed` with a result (what changed, plus what a rollback needs), or
 * `failed` with a reason that says what to do and, when something was already learnt, a result.
 * `afterRecorded` lets an executed action finish once its outcome was recorded (apply_changeset
 * keeps its journal until then); the approval worker awaits it and logs what it throws.
 */
export type TActionOutcome =
  | { ok: true; result: Json; afterRecorded?: (recording: TRecording) => Promise<void> }
  | { ok: false; error: string; result?: Json };

/** The outcome of an action that was refused or went wrong before it changed anything. */
export function refused(error: string, result?: Json): TActionOutcome {
  return result === undefined ? { ok: false, error } : { ok: false, error, result };
}
