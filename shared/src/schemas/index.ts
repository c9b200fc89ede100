export {
  ACTION_PARAMS_SCHEMAS,
  type TActionProposal,
  type TActionProposalInput,
  type TActionProposalParams,
  type TActionType,
  ZActionProposal,
  ZActionProposalInput,
  ZActionProposalParams,
  ZAgentKey,
  ZApiCallParams,
  ZChecklistItem,
  ZCreateTaskParams,
  ZEditDocParams,
  ZFileWriteParams,
  ZScheduleJobParams,
  ZSendMessageParams,
} from "./action-proposal.ts";
export {
  BUILT_IN_SETTINGS,
  BUILTIN_MODEL_NAME,
  resolveAgentSettings,
  type TAgentDefaults,
  type TAgentProfile,
  type TAgentProfileInput,
  type TEffectiveSettings,
  type TModelSettingsLayer,
  type TResolvedSettings,
  type TSettingSource,
  ZAgentDefaults,
  ZAgentProfile,
  ZCapability,
  ZModelSettingsLayer,
} from "./agent-profile.ts";
export { type TBudgetInput, type TModelPriceInput, ZBudgetInput, ZModelPriceInput } from "./budget.ts";
// Every value list a SQL check enforces (the enum test reads them all from this subpath).
export * from "./column-enums.ts";
export {
  type TProviderConnection,
  type TProviderConnectionInput,
  ZProviderApiKey,
  ZProviderConnectionInput,
} from "./provider-connection.ts";
