import crypto from "node:crypto";
import fs from "node:fs/promises";
import type { Json } from "@mission-control/shared/db";
import type { TEditDocParams, TFileWriteParams } from "../actions/action-params.ts";
import type { TProposalRow } from "../actions/action-types.ts";
import { resolveWorkspacePath } from "../actions/resolve-workspace-path.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** file_write's intent: the file's hash before the write and the hash the write leaves. */
export type TFileWriteIntent = {
  kind: "file_write";
  path: string;
  before_sha256: string | null;
  after_sha256: string;
  /** Kept so a reconciled write still has what a rollback needs. */
  previous_content: string | null;
};

/** edit_doc's intent: the doc's version before the save (null: the doc did not exist). */
export type TEditDocIntent = {
  kind: "edit_doc";
  doc_id: string | null;
  base_version: number | null;
  previous: { title: string; content: string } | null;
};

export type TActionIntent = TFileWriteIntent | TEditDocIntent;

export const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/**
 * What an action is about to change, read before it changes anything, for the actions whose
 * effect can only be told apart by comparing with the state before (file_write, edit_doc). The
 * others need none: their rows have ids derived from the proposal. Null when there is nothing to
 * record (other actions, or params the action itself will refuse).
 */
export async function readActionIntent(db: TDb, proposal: TProposalRow, workspaceDir: string): Promise<TActionIntent | null> {
  if (proposal.action_type === "file_write") {
    const params = proposal.params as TFileWriteParams;
    if (typeof params?.path !== "string" || typeof params.content !== "string") return null;
    const target = await resolveWorkspacePath(workspaceDir, params.path).catch(() => null);
    if (!target) return null;
    const previous = await readFileOrNull(target.file);
    return {
      kind: "file_write",
      path: target.relative,
      before_sha256: previous === null ? null : sha256(previous),
      after_sha256: sha256(params.content),
      previous_content: previous,
    };
  }
  if (proposal.action_type === "edit_doc") {
    const params = proposal.params as TEditDocParams;
    if (typeof params?.doc_type !== "string") return null;
    const doc = await readDoc(db, proposal.project_id, params.doc_type, params.agent_key ?? null);
    return {
      kind: "edit_doc",
      doc_id: doc?.id ?? null,
      base_version: doc?.version ?? null,
      previous: doc ? { title: doc.title, content: doc.content } : null,
    };
  }
  return null;
}

/** The file's text, or null when it does not exist. */
export async function readFileOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
}

/** The brain doc an edit_doc targets (project-wide when agentKey is null), or null when missing. */
export async function readDoc(db: TDb, projectId: string, docType: string, agentKey: string | null) {
  let query = db.from("brain_docs").select("id, version, title, content").eq("project_id", projectId).eq("doc_type", docType);
  query = agentKey === null ? query.is("agent_key", null) : query.eq("agent_key", agentKey);
  const { data, error } = await query.maybeSingle();
  if (error) throw readDbError(error, `Could not read the doc "${docType}"`, "database_unreachable");
  return data;
}

/**
 * Records the intent before the action runs (record_action_intent). False: this executor must
 * not run the action (its claim was handed to reconciliation, or the one retry was used).
 */
export async function recordActionIntent(
  db: TDb,
  options: { proposalId: string; executorId: string; intent: TActionIntent | null; retry: boolean },
): Promise<boolean> {
  const { data, error } = await db.rpc("record_action_intent", {
    p_proposal_id: options.proposalId,
    p_executor_id: options.executorId,
    p_intent: (options.intent ?? {}) as Json,
    p_retry: options.retry,
  });
  if (error) throw readDbError(error, `Could not record what proposal ${options.proposalId} is about to change`, "database_unreachable");
  return data === true;
}
