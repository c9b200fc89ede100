import { AppError } from "@mission-control/shared/errors";
import type { TBrainDoc, TChatDelivery, TChatMessage, TProposal } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { parseLiveRows } from "../live/live-tables.ts";

/** A failed read, in words with what to do. */
function readError(what: string, error: { message: string }): AppError {
  return new AppError("database_unreachable", {
    message: `Could not read ${what}: ${error.message}. Check the connection badge and reload.`,
    cause: error,
  });
}

/**
 * The agent's latest deliveries (at most `limit`), the messages they carried and the agent's
 * replies to them, as the signed-in member may read them. The store keeps them live afterwards
 * (realtime brings every new row of the project).
 */
export async function readAgentRecentWork(
  client: TBrowserClient,
  projectId: string,
  agentKey: string,
  limit: number,
): Promise<{ deliveries: TChatDelivery[]; messages: TChatMessage[] }> {
  const deliveries = await client
    .from("chat_delivery_queue")
    .select("*")
    .eq("project_id", projectId)
    .eq("agent_key", agentKey)
    .order("updated_at", { ascending: false })
    .limit(limit);
  if (deliveries.error) throw readError("the agent's deliveries", deliveries.error);
  const rows = parseLiveRows("chat_delivery_queue", deliveries.data ?? []);
  const ids = [...new Set(rows.map((d) => d.message_id))];
  if (ids.length === 0) return { deliveries: rows, messages: [] };
  const [asked, replies] = await Promise.all([
    client.from("project_chat_messages").select("*").in("id", ids),
    client.from("project_chat_messages").select("*").eq("author_agent_key", agentKey).in("reply_to", ids),
  ]);
  if (asked.error) throw readError("the agent's messages", asked.error);
  if (replies.error) throw readError("the agent's replies", replies.error);
  return {
    deliveries: rows,
    messages: [...parseLiveRows("project_chat_messages", asked.data ?? []), ...parseLiveRows("project_chat_messages", replies.data ?? [])],
  };
}

/** The latest proposals the agent made (at most `limit`), whatever their status. */
export async function readAgentProposals(client: TBrowserClient, projectId: string, agentKey: string, limit: number): Promise<TProposal[]> {
  const { data, error } = await client
    .from("action_proposals")
    .select("*")
    .eq("project_id", projectId)
    .eq("proposed_by_agent_key", agentKey)
    .order("created_at", { ascending: false })
    .limit(limit);
  if (error) throw readError("the agent's proposals", error);
  return parseLiveRows("action_proposals", data ?? []);
}

/** Every brain doc of the agent (instructions, memory, any doc_type). */
export async function readAgentBrainDocs(client: TBrowserClient, projectId: string, agentKey: string): Promise<TBrainDoc[]> {
  const { data, error } = await client.from("brain_docs").select("*").eq("project_id", projectId).eq("agent_key", agentKey);
  if (error) throw readError("the agent's docs", error);
  return parseLiveRows("brain_docs", data ?? []);
}
