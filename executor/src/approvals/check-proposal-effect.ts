import type { Json } from "@mission-control/shared/db";
import { ZActionProposalParams } from "@mission-control/shared/schemas";
import type { TProposalRow } from "../actions/action-types.ts";
import { deriveActionId } from "../actions/derive-action-id.ts";
import { resolveWorkspacePath } from "../actions/resolve-workspace-path.ts";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { readDoc, readFileOrNull, sha256, type TActionIntent } from "./action-intent.ts";

/**
 * What a crashed proposal's effect turned out to be: it `happened` (with the result the action
 * would have recorded), it provably `did_not_happen` (safe to run once more), or it is `unknown`
 * (the state changed since, or the action cannot check itself), each with a sentence for people.
 */
export type TEffect =
  | { state: "happened"; sentence: string; result: Json }
  | { state: "did_not_happen"; sentence: string }
  | { state: "unknown"; sentence: string };

/**
 * Checks whether a proposal's action took effect, from what the action leaves behind: the row
 * with the id derived from the proposal (create_task, schedule_job, send_message), the file's
 * hash against the intent recorded before the write (file_write), the doc's versions against the
 * base version recorded before the save (edit_doc). No intent means the executor died before the
 * action began: the intent is recorded before anything changes.
 */
export async function checkProposalEffect(
  db: TDb,
  options: { proposal: TProposalRow; intent: TActionIntent | null; workspaceDir: string },
): Promise<TEffect> {
  const { proposal, intent } = options;
  const parsed = ZActionProposalParams.safeParse({ action_type: proposal.action_type, params: proposal.params });
  if (!parsed.success) return { state: "did_not_happen", sentence: "its params are invalid, so it never ran" };
  const action = parsed.data;
  switch (action.action_type) {
    case "create_task": {
      const id = deriveActionId(proposal.id, "create_task");
      const row = await readRow(db, "tasks", "id, title, status", id);
      return row
        ? {
            state: "happened",
            sentence: `task ${id} exists`,
            result: { task_id: id, title: row.title ?? null, status: row.status ?? null, rollback: "delete the task" },
          }
        : { state: "did_not_happen", sentence: `task ${id} does not exist` };
    }
    case "schedule_job": {
      const id = deriveActionId(proposal.id, "schedule_job");
      const row = await readRow(db, "cron_mirror", "id, name, enabled", id);
      return row
        ? {
            state: "happened",
            sentence: `scheduled job ${id} exists`,
            result: { job_id: id, name: row.name ?? null, enabled: row.enabled ?? null, rollback: "delete the scheduled job" },
          }
        : { state: "did_not_happen", sentence: `scheduled job ${id} does not exist` };
    }
    case "send_message": {
      const id = deriveActionId(proposal.id, "send_message");
      const row = await readRow(db, "project_chat_messages", "id, thread_id", id);
      return row
        ? {
            state: "happened",
            sentence: `message ${id} was posted`,
            result: {
              message_id: id,
              thread_id: row.thread_id ?? null,
              thread_key: action.params.thread_key,
              rollback: "irreversible once read",
            },
          }
        : { state: "did_not_happen", sentence: `message ${id} was never posted` };
    }
    case "file_write": {
      if (intent?.kind !== "file_write")
        return { state: "did_not_happen", sentence: `${action.params.path} was never written (the write had not begun)` };
      const target = await resolveWorkspacePath(options.workspaceDir, action.params.path);
      const current = await readFileOrNull(target.file);
      const hash = current === null ? null : sha256(current);
      if (hash === intent.after_sha256) {
        return {
          state: "happened",
          sentence: `${intent.path} has the written content (sha-256 ${intent.after_sha256.slice(0, 12)})`,
          result: {
            path: intent.path,
            bytes: Buffer.byteLength(action.params.content, "utf8"),
            sha256: intent.after_sha256,
            previous_existed: intent.before_sha256 !== null,
            previous_content: intent.previous_content,
            previous: intent.before_sha256 === null ? "did not exist" : "previous_content",
            rollback: intent.before_sha256 === null ? "delete the file (it did not exist before)" : "write previous_content back",
          },
        };
      }
      if (hash === intent.before_sha256) {
        return {
          state: "did_not_happen",
          sentence: hash === null ? `${intent.path} still does not exist` : `${intent.path} still has its content from before the write`,
        };
      }
      return {
        state: "unknown",
        sentence: `${intent.path} changed since: it has neither the content from before the write nor the written content${hash === null ? " (it was deleted)" : ""}`,
      };
    }
    case "edit_doc": {
      const docType = action.params.doc_type;
      if (intent?.kind !== "edit_doc")
        return { state: "did_not_happen", sentence: `doc "${docType}" was never saved (the save had not begun)` };
      const doc = await readDoc(db, proposal.project_id, docType, action.params.agent_key ?? null);
      const intended = (intent.base_version ?? 0) + 1;
      if (doc && doc.version >= intended) {
        const { data, error } = await db
          .from("brain_doc_versions")
          .select("version, content, author_agent_key")
          .eq("doc_id", doc.id)
          .eq("version", intended)
          .maybeSingle();
        if (error) throw readDbError(error, `Could not read version ${intended} of doc "${docType}"`, "database_unreachable");
        if (data && data.content === action.params.content && data.author_agent_key === proposal.proposed_by_agent_key) {
          const changedSince = doc.version > intended ? ` (it is at version ${doc.version} now)` : "";
          return {
            state: "happened",
            sentence: `doc "${docType}" has the intended version ${intended}${changedSince}`,
            result: {
              doc_id: doc.id,
              doc_type: docType,
              agent_key: action.params.agent_key ?? null,
              version: intended,
              created: intent.base_version === null,
              previous: intent.previous,
              rollback: intent.previous ? "restore previous.title and previous.content" : "delete the doc (it did not exist before)",
            },
          };
        }
      }
      if ((doc?.version ?? null) === intent.base_version && (doc?.id ?? null) === intent.doc_id) {
        return {
          state: "did_not_happen",
          sentence: doc ? `doc "${docType}" is still at its base version ${doc.version}` : `doc "${docType}" still does not exist`,
        };
      }
      return {
        state: "unknown",
        sentence: `doc "${docType}" changed since: it is ${doc ? `at version ${doc.version}` : "gone"}, neither the base version ${intent.base_version ?? "(none)"} nor the intended version ${intended}`,
      };
    }
    case "api_call":
      return { state: "unknown", sentence: "an API call cannot be checked afterwards" };
    case "apply_changeset":
      return { state: "unknown", sentence: "a changeset's steps cannot be checked one by one afterwards" };
    default:
      return { state: "unknown", sentence: "this action cannot be checked afterwards" };
  }
}

/** The row with this id (only the columns asked for), or null when there is none. */
async function readRow(
  db: TDb,
  table: "tasks" | "cron_mirror" | "project_chat_messages",
  columns: string,
  id: string,
): Promise<Record<string, Json> | null> {
  const { data, error } = await db.from(table).select(columns).eq("id", id).maybeSingle();
  if (error) throw readDbError(error, `Could not look for ${id} in ${table}`, "database_unreachable");
  return data as Record<string, Json> | null;
}
