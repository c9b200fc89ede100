import { AppError } from "@mission-control/shared/errors";
import { type TBrainDoc, ZBrainDoc } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { docConflictOf, saveBrainDoc } from "../knowledge/save-brain-doc.ts";

/** A doc type as the database accepts it (brain_docs.doc_type check). */
export const DOC_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** Turns a PostgREST error of a brain_docs write into an AppError that says what to do. */
function docError(
  action: string,
  error: { code?: string; message: string; details?: string | null },
  doc: { agentKey?: string; docType?: string },
): AppError {
  if (error.code === "42501" || /row-level security/i.test(error.message)) {
    return new AppError("forbidden", {
      message: "Only owners and operators can change docs: ask an owner for the operator role.",
      cause: error,
    });
  }
  if (error.code === "23505" && /brain_docs_one_per_kind/.test(`${error.message} ${error.details ?? ""}`)) {
    return new AppError("invalid_input", {
      message: `@${doc.agentKey} already has a "${doc.docType}" doc: open it in the list and edit it, or pick another doc type.`,
      cause: error,
    });
  }
  if (error.code === "23514") {
    return new AppError("invalid_input", {
      message: `Could not ${action}: a doc type is lower-case letters, digits or _ starting with a letter (at most 32), a title at most 200 characters and the text at most 200,000.`,
      cause: error,
    });
  }
  if (error.code === "PGRST116") {
    return new AppError("not_found", {
      message: `Could not ${action}: the doc no longer exists (someone removed it). Reload the page.`,
      cause: error,
    });
  }
  return new AppError("database_unreachable", { message: `Could not ${action}: ${error.message}`, cause: error });
}

/** Creates one of an agent's docs (one per doc type: the database refuses a second). */
export async function createBrainDoc(
  client: TBrowserClient,
  input: { projectId: string; agentKey: string; docType: string; title: string; content: string },
): Promise<TBrainDoc> {
  const { data, error } = await client
    .from("brain_docs")
    .insert({
      project_id: input.projectId,
      agent_key: input.agentKey,
      doc_type: input.docType,
      title: input.title.trim(),
      content: input.content,
    })
    .select("*")
    .single();
  if (error) throw docError("create the doc", error, input);
  return ZBrainDoc.parse(data);
}

/**
 * Replaces a doc's title and text through save_brain_doc, based on the version the editor loaded:
 * a save over a newer version is refused (conflict) instead of overwriting it.
 */
export async function updateBrainDoc(
  client: TBrowserClient,
  doc: Pick<TBrainDoc, "project_id" | "agent_key" | "doc_type">,
  patch: { title: string; content: string; baseVersion: number },
): Promise<TBrainDoc> {
  try {
    return await saveBrainDoc(client, {
      projectId: doc.project_id,
      agentKey: doc.agent_key,
      docType: doc.doc_type,
      title: patch.title,
      content: patch.content,
      baseVersion: patch.baseVersion,
    });
  } catch (err) {
    if (!docConflictOf(err)) throw err;
    throw new AppError("conflict", {
      message: `${(err as Error).message} Open the doc on the Knowledge page to compare both texts.`,
      cause: err,
      details: (err as AppError).details,
    });
  }
}

/** Removes a doc. */
export async function deleteBrainDoc(client: TBrowserClient, docId: string): Promise<void> {
  const { data, error } = await client.from("brain_docs").delete().eq("id", docId).select("id");
  if (error) throw docError("delete the doc", error, {});
  // RLS hides rows it does not let you delete: nothing deleted means gone already, or not yours to remove.
  if ((data ?? []).length === 0) {
    throw new AppError("not_found", {
      message: "The doc was not deleted: someone removed it already, or your role may not remove docs. Reload the page.",
    });
  }
}
