// The Control API contract, written once: every route's request, answer, the health report and
// the error envelope as zod schemas, the route table the executor serves, and the one client
// the dashboard, e2e, bench and the executor's agents call it with.
export { type TProvisionAnswer, type TProvisionRequest, ZProvisionAnswer, ZProvisionRequest } from "./agent-provision.ts";
export {
  type TExecuteApprovalAnswer,
  type TExecuteApprovalParams,
  ZExecuteApprovalAnswer,
  ZExecuteApprovalParams,
} from "./approval-execution.ts";
export { type TDeliverAnswer, type TDeliverRequest, ZDeliverAnswer, ZDeliverRequest } from "./chat-delivery.ts";
export {
  CONTROL_API_ROUTES,
  type TControlApiAuth,
  type TControlApiRoute,
  type TControlApiRouteName,
  type TRouteAnswer,
  type TRouteBody,
  type TRouteParams,
} from "./control-api-routes.ts";
export {
  answeredStatusOf,
  createControlApiClient,
  type TControlApiClient,
  type TControlApiClientOptions,
} from "./create-control-api-client.ts";
export { type TErrorEnvelope, ZAppErrorCode, ZErrorEnvelope } from "./error-envelope.ts";
export {
  PRESENCE_STREAM_PATH,
  type THealthReport,
  type THealthSummary,
  ZHealthReport,
  ZHealthSummary,
  ZWorkerHealth,
} from "./health-report.ts";
export { describeIssues, invalidRequestError } from "./invalid-request-error.ts";
export {
  type TProviderConnectionParams,
  type TSetProviderKeyAnswer,
  type TSetProviderKeyBody,
  type TTestProviderAnswer,
  type TTestProviderBody,
  ZProviderConnectionParams,
  ZSetProviderKeyAnswer,
  ZSetProviderKeyBody,
  ZTestProviderAnswer,
  ZTestProviderBody,
} from "./provider-connection.ts";
export { buildRoutePath, matchRoutePath } from "./route-path.ts";
export {
  type TChangesetCurrentAnswer,
  type TChangesetParams,
  type TRunParams,
  type TWakeRunAnswer,
  ZChangesetCurrentAnswer,
  ZChangesetParams,
  ZRunParams,
  ZWakeRunAnswer,
} from "./run-control.ts";
export {
  type TApplyScheduleAnswer,
  type TApplyScheduleRequest,
  type TScheduleRequestOutcome,
  ZApplyScheduleAnswer,
  ZApplyScheduleRequest,
  ZScheduleRequestOutcome,
} from "./schedule-control.ts";
export { type TCheckSkillAnswer, type TSkillParams, ZCheckSkillAnswer, ZSkillParams } from "./skill-check.ts";
export {
  type TAgentTaskEvent,
  type TTaskEventAnswer,
  type TTaskEventParams,
  ZAgentTaskEvent,
  ZTaskEventAnswer,
  ZTaskEventParams,
} from "./task-event.ts";
