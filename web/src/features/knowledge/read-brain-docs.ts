import { AppError } from "@mission-control/shared/errors";
import { type TBrainDoc, type TBrainDocVersion, ZBrainDocVersion } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { parseLiveRows } from "../live/live-tables.ts";

/** A failed read, in words with what to do. */
function readError(what: string, error: { message: string }): AppError {
  return new AppError("database_unreachable", {
    message: `Could not read ${what}: ${error.message}. Check the connection badge and reload.`,
    cause: error,
  });
}

/** Every doc of the project (project-wide and each agent's); the store keeps them live afterwards. */
export async function readProjectDocs(client: TBrowserClient, projectId: string): Promise<TBrainDoc[]> {
  const { data, error } = await client.from("brain_docs").select("*").eq("project_id", projectId);
  if (error) throw readError("the docs", error);
  return parseLiveRows("brain_docs", data ?? []);
}

/** A doc's versions, newest first (append-only history; read again when the doc's version moves). */
export async function readDocVersions(client: TBrowserClient, docId: string): Promise<TBrainDocVersion[]> {
  const { data, error } = await client.from("brain_doc_versions").select("*").eq("doc_id", docId).order("version", { ascending: false });
  if (error) throw readError("the doc's history", error);
  return (data ?? []).map((row) => ZBrainDocVersion.parse(row));
}

/** The doc (project, agent or project-wide, doc type), or null when there is none. */
export async function readOneDoc(
  client: TBrowserClient,
  projectId: string,
  agentKey: string | null,
  docType: string,
): Promise<TBrainDoc | null> {
  const base = client.from("brain_docs").select("*").eq("project_id", projectId).eq("doc_type", docType);
  const { data, error } = await (agentKey === null ? base.is("agent_key", null) : base.eq("agent_key", agentKey)).maybeSingle();
  if (error) throw readError(`the doc "${docType}"`, error);
  return data ? (parseLiveRows("brain_docs", [data])[0] ?? null) : null;
}
