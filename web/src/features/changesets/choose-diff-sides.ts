import type { TChangesetCurrentAnswer } from "@mission-control/shared/control-api";
import type { TChangeset, TChangesetFile } from "@mission-control/shared/rows";

/** A file of the changeset as it is in the workspace now (the executor's answer). */
export type TCurrentFile = TChangesetCurrentAnswer["files"][number];

/** What a file's diff compares, and what the operator must know about it. */
export interface TDiffSides {
  oldValue: string;
  newValue: string;
  oldTitle: string;
  newTitle: string;
  /**
   * "changed": the workspace file is no longer what the diff was computed against (the apply
   * would be refused): the left side is the real current file. "unreadable": it changed but is
   * too large to show. null otherwise.
   */
  drift: "changed" | "unreadable" | null;
}

/**
 * The two sides of a file's diff. While the changeset waits for review, a workspace file that
 * changed since the proposal is shown as it is now (diffing the real current file against the
 * proposed content); otherwise, and after the decision, the diff is the one the agent proposed:
 * the content it read (base) against the new content (empty for a deleted file).
 */
export function chooseDiffSides(
  changeset: Pick<TChangeset, "status">,
  file: Pick<TChangesetFile, "change_kind" | "base_content" | "new_content">,
  current: TCurrentFile | undefined,
): TDiffSides {
  const newValue = file.new_content ?? "";
  const newTitle = file.change_kind === "delete" ? "Deleted" : "Proposed";
  const base = {
    oldValue: file.base_content ?? "",
    newValue,
    oldTitle: file.base_content === null ? "No file before" : "When proposed",
    newTitle,
  };
  if (changeset.status !== "proposed" || !current || current.matches_base) return { ...base, drift: null };
  if (!current.exists) return { ...base, oldValue: "", oldTitle: "Now: the file no longer exists", drift: "changed" };
  if (current.content === null) return { ...base, drift: "unreadable" };
  return { ...base, oldValue: current.content, oldTitle: "Now in the workspace (changed since the proposal)", drift: "changed" };
}
