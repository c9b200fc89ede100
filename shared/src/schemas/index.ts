export {
  ACTION_PARAMS_SCHEMAS,
  type TActionProposal,
  type TActionProposalInput,
  type TActionProposalParams,
  type TActionType,
  ZActionProposal,
  ZActionProposalInput,
  ZActionProposalParams,
  ZApiCallParams,
  ZChecklistItem,
  ZCreateTaskParams,
  ZEditDocParams,
  ZFileWriteParams,
  ZScheduleJobParams,
  ZSendMessageParams,
} from "./action-proposal.ts";
// Every value list a SQL check enforces (the enum test reads them all from this subpath).
export * from "./column-enums.ts";
