import type { TChangesetFile } from "@mission-control/shared/rows";
import { ZApplyChangesetParams } from "@mission-control/shared/schemas";
import type { z } from "zod";

/** The params of an apply_changeset approval. */
export type TApplyChangesetParams = z.infer<typeof ZApplyChangesetParams>;

/**
 * The params an approval of some files is bound to: the changeset and the checked paths, in the
 * changeset's order (the files left unchecked are rejected when it is applied). Checking none is
 * not an approval: the operator rejects instead.
 */
export function buildApproveParams(
  changesetId: string,
  files: readonly Pick<TChangesetFile, "path" | "position">[],
  checked: ReadonlySet<string>,
): { ok: true; params: TApplyChangesetParams } | { ok: false; error: string } {
  const paths = [...files]
    .sort((a, b) => a.position - b.position)
    .map((file) => file.path)
    .filter((path) => checked.has(path));
  if (paths.length === 0) return { ok: false, error: "Select at least one file to approve, or reject the changeset." };
  const parsed = ZApplyChangesetParams.safeParse({ changeset_id: changesetId, paths });
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join("; ") };
  return { ok: true, params: parsed.data };
}
