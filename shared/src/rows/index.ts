// Rows of the live tables as PostgREST and realtime send them: lenient at the edge (unknown
// columns dropped, seq coerced), strict about the values a SQL check allows.
export { type TProposal, ZProposal } from "./action-proposal-rows.ts";
export { type TActivity, ZActivity } from "./activity-rows.ts";
export { type TAgent, type TAgentStatus, ZAgent, ZAgentStatus } from "./agent-rows.ts";
export { type TBrainDoc, type TBrainDocVersion, ZBrainDoc, ZBrainDocVersion } from "./brain-doc-rows.ts";
export { type TBudget, type TModelPrice, ZBudget, ZModelPrice } from "./budget-rows.ts";
export {
  type TChatDelivery,
  type TChatMessage,
  type TChatThread,
  type TReplyMetadata,
  ZChatDelivery,
  ZChatMessage,
  ZChatThread,
  ZReplyMetadata,
} from "./chat-rows.ts";
export {
  type TCronCreateRequest,
  type TCronDeleteRequest,
  type TCronJob,
  type TCronJobPatchRequest,
  type TCronJobRun,
  type TCronRunRequest,
  ZCronCreateRequest,
  ZCronDeleteRequest,
  ZCronJob,
  ZCronJobPatchRequest,
  ZCronJobRun,
  ZCronRunRequest,
} from "./cron-rows.ts";
export { type TProject, type TProjectMember, type TProjectSetting, ZProject, ZProjectMember, ZProjectSetting } from "./project-rows.ts";
export { type TProviderConnection, ZProviderConnection } from "./provider-connection-rows.ts";
export { type TProvisionRequest, ZProvisionRequest } from "./provision-request-rows.ts";
export {
  type TChangeset,
  type TChangesetFile,
  type TChangesetReview,
  type TRun,
  type TRunEvent,
  ZChangeset,
  ZChangesetFile,
  ZChangesetReview,
  ZRun,
  ZRunEvent,
} from "./run-rows.ts";
export { type TSkill, type TSkillMirror, ZSkill, ZSkillMirror } from "./skill-rows.ts";
export { type TTask, type TTaskEvent, ZTask, ZTaskEvent } from "./task-rows.ts";
