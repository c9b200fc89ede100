import { z } from "zod";

/** Path parameters of `POST /api/runs/:runId/wake`. */
export const ZRunParams = z.object({
  runId: z.guid({ error: (issue) => `${String(issue.input)} is not a run id (a UUID)` }),
});
/** Path parameters of `POST /api/runs/:runId/wake`. */
export type TRunParams = z.infer<typeof ZRunParams>;

/**
 * The 202 answer of `POST /api/runs/:runId/wake`: the executor looked at the run now (claimed it
 * when queued, aborted it when cancelled, picked up its changeset's rollback when one was asked
 * for). `status` is the run's status as the executor read it.
 */
export const ZWakeRunAnswer = z.object({ run_id: z.string(), status: z.string() });
/** The 202 answer of `POST /api/runs/:runId/wake`. */
export type TWakeRunAnswer = z.infer<typeof ZWakeRunAnswer>;

/** Path parameters of `GET /api/changesets/:changesetId/current`. */
export const ZChangesetParams = z.object({
  changesetId: z.guid({ error: (issue) => `${String(issue.input)} is not a changeset id (a UUID)` }),
});
/** Path parameters of `GET /api/changesets/:changesetId/current`. */
export type TChangesetParams = z.infer<typeof ZChangesetParams>;

/**
 * The 200 answer of `GET /api/changesets/:changesetId/current`: each file of the changeset as it is
 * in the workspace now. `content` is null when the file does not exist or is larger than 1 MB;
 * `matches_base` says whether it is still what the diff was computed against (an apply would be refused otherwise).
 */
export const ZChangesetCurrentAnswer = z.object({
  changeset_id: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      exists: z.boolean(),
      sha256: z.string().nullable(),
      content: z.string().nullable(),
      matches_base: z.boolean(),
    }),
  ),
});
/** The 200 answer of `GET /api/changesets/:changesetId/current`. */
export type TChangesetCurrentAnswer = z.infer<typeof ZChangesetCurrentAnswer>;
