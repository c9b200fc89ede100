import type {
  ZApiCallParams,
  ZApplyChangesetParams,
  ZCreateTaskParams,
  ZEditDocParams,
  ZFileWriteParams,
  ZScheduleJobParams,
  ZSendMessageParams,
} from "@mission-control/shared/schemas";
import type { z } from "zod";

/** Params of a create_task proposal. */
export type TCreateTaskParams = z.infer<typeof ZCreateTaskParams>;
/** Params of a schedule_job proposal. */
export type TScheduleJobParams = z.infer<typeof ZScheduleJobParams>;
/** Params of an edit_doc proposal. */
export type TEditDocParams = z.infer<typeof ZEditDocParams>;
/** Params of a send_message proposal. */
export type TSendMessageParams = z.infer<typeof ZSendMessageParams>;
/** Params of an api_call proposal. */
export type TApiCallParams = z.infer<typeof ZApiCallParams>;
/** Params of a file_write proposal. */
export type TFileWriteParams = z.infer<typeof ZFileWriteParams>;
/** Params of an apply_changeset proposal. */
export type TApplyChangesetParams = z.infer<typeof ZApplyChangesetParams>;
