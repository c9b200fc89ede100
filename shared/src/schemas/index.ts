export {
  collectDueFireTimes,
  describeScheduleProblem,
  EVERY_LIMITS_MS,
  isTimeZone,
  nextFireTimes,
  parseEvery,
  type TDueFireTimes,
  type TScheduleSpec,
} from "../schedule/compute-fire-times.ts";
export { CRON_FIELDS, describeCronFieldsProblem, type TCronField } from "../schedule/describe-cron-fields-problem.ts";
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
  ZApplyChangesetParams,
  ZChecklistItem,
  ZCreateTaskParams,
  ZEditDocParams,
  ZFileWriteParams,
  ZScheduleJobParams,
  ZSendMessageParams,
  ZWorkspacePath,
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
export { type TApprovalSettings, ZApprovalSettings } from "./approval-settings.ts";
export { type TBudgetInput, type TModelPriceInput, ZBudgetInput, ZModelPriceInput } from "./budget.ts";
// Every value list a SQL check enforces (the enum test reads them all from this subpath).
export * from "./column-enums.ts";
export {
  type TProviderConnection,
  type TProviderConnectionInput,
  ZProviderApiKey,
  ZProviderConnectionInput,
} from "./provider-connection.ts";
export {
  CHANGESET_LIMITS,
  DEFAULT_RUN_TEST_ALLOWLIST,
  SLASH_COMMANDS,
  type TChangesetFileInput,
  type TChangesetInput,
  type TChangesetReviewInput,
  type TRunSettings,
  type TRunStartInput,
  ZChangesetFileInput,
  ZChangesetInput,
  ZChangesetReviewInput,
  ZRunSettings,
  ZRunStartInput,
} from "./run.ts";
export {
  skillKeyFromName,
  type TSkillInput,
  type TSkillRequirement,
  type TSkillRequirementResult,
  ZSkillInput,
  ZSkillRequirement,
  ZSkillRequirementResult,
} from "./skill.ts";
