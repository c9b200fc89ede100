import type { TRun } from "@mission-control/shared/rows";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/**
 * Posts a run's answer into the chat thread it came from (a `/plan` in a DM or the Team Room), as
 * the agent, linked to the run. The id is derived from the run, so a retry posts it once.
 */
export async function postRunReply(db: TDb, options: { run: TRun; content: string }): Promise<void> {
  const { run } = options;
  if (!run.thread_id) return;
  const { error } = await db.from("project_chat_messages").upsert(
    {
      id: run.id,
      project_id: run.project_id,
      thread_id: run.thread_id,
      author_type: "agent",
      author_agent_key: run.agent_key,
      content: options.content,
      metadata: { run_id: run.id, mode: run.mode },
    },
    { onConflict: "id", ignoreDuplicates: true },
  );
  if (error) throw readDbError(error, "Could not post the run's answer", "database_unreachable");
}
