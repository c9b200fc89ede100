import { AppError } from "@mission-control/shared/errors";
import { type TBrainDoc, ZBrainDoc } from "@mission-control/shared/rows";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** What the database sends with a refused stale save (PT412): the doc as it is now. */
const ZDocConflict = z.object({
  current_version: z.number().int(),
  title: z.string().nullable(),
  content: z.string().nullable(),
  updated_at: z.string().nullable(),
});
/** The current doc behind a conflict; version 0 and null text when the doc was removed. */
export type TDocConflict = z.infer<typeof ZDocConflict>;

/** A save as the editor sends it: the doc's identity, its new title and text, and the version it was based on (0: a new doc). */
export interface TSaveBrainDoc {
  projectId: string;
  agentKey: string | null;
  docType: string;
  title: string;
  content: string;
  baseVersion: number;
}

/** The conflict a refused save carries, or null when the error is something else. */
export function docConflictOf(err: unknown): TDocConflict | null {
  if (!(err instanceof AppError) || err.code !== "conflict") return null;
  const parsed = ZDocConflict.safeParse(err.details.conflict);
  return parsed.success ? parsed.data : null;
}

/** Turns a save_brain_doc error into an AppError that says what to do (the conflict in details). */
function saveError(error: { code?: string; message: string; details?: string | null; hint?: string | null }): AppError {
  if (error.code === "PT412") {
    let conflict: unknown = null;
    try {
      conflict = JSON.parse(error.details ?? "null");
    } catch {
      conflict = null;
    }
    return new AppError("conflict", { message: `${error.message}. ${error.hint ?? ""}`.trim(), cause: error, details: { conflict } });
  }
  if (error.code === "42501") {
    return new AppError("forbidden", {
      message: "Only owners and operators can change docs: ask an owner for the operator role.",
      cause: error,
    });
  }
  if (error.code === "23514" || error.code === "22023") {
    const what =
      error.code === "22023"
        ? `${error.message}. ${error.hint ?? ""}`.trim()
        : "A doc type is lower-case letters, digits or _ starting with a letter (at most 32), a title at most 200 characters and the text at most 200,000.";
    return new AppError("invalid_input", { message: `Could not save the doc: ${what}`, cause: error });
  }
  return new AppError("database_unreachable", {
    message: `Could not save the doc: ${error.message}. Check the connection badge and try again.`,
    cause: error,
  });
}

/**
 * Saves a brain doc through save_brain_doc: creates it (baseVersion 0) or replaces it when
 * baseVersion is still the current version; the database appends the version. A save over a
 * version the editor did not load throws AppError "conflict" whose details.conflict holds the
 * current version and text (read it with docConflictOf).
 */
export async function saveBrainDoc(client: TBrowserClient, input: TSaveBrainDoc): Promise<TBrainDoc> {
  const { data, error } = await client.rpc("save_brain_doc", {
    p_project_id: input.projectId,
    p_doc_type: input.docType,
    p_title: input.title.trim(),
    p_content: input.content,
    p_base_version: input.baseVersion,
    ...(input.agentKey === null ? {} : { p_agent_key: input.agentKey }),
  });
  if (error) throw saveError(error);
  return ZBrainDoc.parse(data);
}
