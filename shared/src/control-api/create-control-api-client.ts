import type { z } from "zod";
import { AppError } from "../errors/index.ts";
import type { TTaskEvent } from "../rows/task-rows.ts";
import type { TProvisionAnswer } from "./agent-provision.ts";
import type { TExecuteApprovalAnswer } from "./approval-execution.ts";
import type { TDeliverAnswer } from "./chat-delivery.ts";
import { CONTROL_API_ROUTES, type TControlApiRoute, type TControlApiRouteName } from "./control-api-routes.ts";
import { ZErrorEnvelope } from "./error-envelope.ts";
import { ZHealthReport } from "./health-report.ts";
import { describeIssues, invalidRequestError } from "./invalid-request-error.ts";
import type { TSetProviderKeyAnswer, TTestProviderAnswer } from "./provider-connection.ts";
import { buildRoutePath } from "./route-path.ts";
import type { TChangesetCurrentAnswer, TWakeRunAnswer } from "./run-control.ts";
import type { TApplyScheduleAnswer } from "./schedule-control.ts";
import type { TCheckSkillAnswer } from "./skill-check.ts";
import type { TAgentTaskEvent } from "./task-event.ts";

/** Where the Control API is and how to reach it. */
export interface TControlApiClientOptions {
  /** The Control API's base URL, e.g. `http://127.0.0.1:54330` (a trailing slash is ignored). */
  baseUrl: string;
  /** The fetch to call (a fake one in tests); the global fetch by default. */
  fetch?: typeof fetch;
  /** How long one call may take, answer included, before it counts as unreachable (default 5 000 ms). */
  timeoutMs?: number;
}

/**
 * A typed caller of the executor's Control API. Every call throws an AppError: the error
 * envelope's code and message when the API refuses, `control_api_unreachable` when nothing answers
 * in time or the answer is not the route's contract, and `invalid_input` before sending a request
 * its schema refuses. `details.url` names the URL called; `details.status` the HTTP status, when one came.
 */
export interface TControlApiClient {
  readonly baseUrl: string;
  /**
   * `GET /health`: the report, with status 200 or 503 (the database is down; the executor still
   * answers). Read with `ZHealthReport` unless another schema is given, e.g. `ZHealthSummary`.
   */
  health<TSchema extends z.ZodType = typeof ZHealthReport>(schema?: TSchema): Promise<{ status: 200 | 503; report: z.output<TSchema> }>;
  /** `POST /api/chat/deliver` with the operator's token: claims the message's queued deliveries now. */
  deliver(input: { accessToken: string; messageId: string }): Promise<TDeliverAnswer>;
  /** `POST /api/approvals/:proposalId/execute` with the operator's token: claims the approved proposal now. */
  executeApproval(input: { accessToken: string; proposalId: string }): Promise<TExecuteApprovalAnswer>;
  /** `POST /api/tasks/:taskId/events` with the service role key; `duplicate` when that event id was already written (200). */
  postTaskEvent(input: {
    serviceRoleKey: string;
    taskId: string;
    event: TAgentTaskEvent;
  }): Promise<{ event: TTaskEvent; duplicate: boolean }>;
  /** `POST /api/agents/provision` with the operator's token: applies the agent_provision_requests row now. */
  provisionAgent(input: { accessToken: string; requestId: string }): Promise<TProvisionAnswer>;
  /** `POST /api/providers/:connectionId/key` with the operator's token: the executor encrypts and stores the key (null removes it). */
  setProviderKey(input: { accessToken: string; connectionId: string; apiKey: string | null }): Promise<TSetProviderKeyAnswer>;
  /** `POST /api/providers/:connectionId/test` with the operator's token: one small request with the stored key. */
  testProvider(input: { accessToken: string; connectionId: string; model?: string }): Promise<TTestProviderAnswer>;
  /** `POST /api/runs/:runId/wake` with the operator's token: the executor looks at the run now (claim, abort, rollback). */
  wakeRun(input: { accessToken: string; runId: string }): Promise<TWakeRunAnswer>;
  /** `GET /api/changesets/:changesetId/current` with the operator's token: the changeset's files as they are in the workspace now. */
  readChangesetCurrent(input: { accessToken: string; changesetId: string }): Promise<TChangesetCurrentAnswer>;
  /** `POST /api/skills/:skillId/check` with the operator's token: the executor checks the skill now and answers its verdict. */
  checkSkill(input: { accessToken: string; skillId: string }): Promise<TCheckSkillAnswer>;
  /** `POST /api/schedule/apply` with the operator's token: the executor applies the project's queued schedule requests now. */
  applySchedule(input: { accessToken: string; projectId: string }): Promise<TApplyScheduleAnswer>;
}

/** The HTTP status behind a Control API client error, or null when no answer came (unreachable, timed out, refused before sending). */
export function answeredStatusOf(err: unknown): number | null {
  return err instanceof AppError && typeof err.details.status === "number" ? err.details.status : null;
}

/** Creates a Control API client on plain `fetch`, so it runs in the browser and in Node alike. */
export function createControlApiClient(options: TControlApiClientOptions): TControlApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  // Called as a plain function: browsers refuse a fetch invoked as a method of another object.
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;

  const call = async <TSchema extends z.ZodType>(
    name: TControlApiRouteName,
    request: { bearer?: string; params?: Record<string, string>; body?: unknown; timeoutMs?: number },
    responses: Readonly<Record<number, TSchema>>,
  ): Promise<{ status: number; body: z.output<TSchema> }> => {
    const route: TControlApiRoute = CONTROL_API_ROUTES[name];
    let path = route.path;
    if (route.params) {
      const params = route.params.safeParse(request.params);
      if (!params.success) throw invalidRequestError("params", params.error);
      path = buildRoutePath(route.path, params.data);
    }
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (route.body) {
      const body = route.body.safeParse(request.body);
      if (!body.success) throw invalidRequestError("body", body.error);
      payload = JSON.stringify(body.data);
      headers["content-type"] = "application/json";
    }
    if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;
    const url = `${baseUrl}${path}`;
    const what = `${route.method} ${path}`;
    const limitMs = request.timeoutMs ?? timeoutMs;

    let status: number;
    let text: string;
    try {
      // A browser must not answer GET /health from its cache; Node's RequestInit type lacks `cache` but Node accepts it.
      const init: RequestInit & { cache?: "no-store" } = {
        method: route.method,
        headers,
        body: payload,
        cache: "no-store",
        signal: AbortSignal.timeout(limitMs),
      };
      const response = await fetchFn(url, init);
      status = response.status;
      text = await response.text();
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      throw new AppError("control_api_unreachable", {
        message: timedOut
          ? `Control API at ${baseUrl} did not answer ${what} within ${limitMs} ms: check that the executor is running and not overloaded`
          : `Control API unreachable at ${baseUrl} (${cause instanceof Error ? cause.message : String(cause)}): check that the executor is running there`,
        cause,
        details: { url },
      });
    }

    const value = parseJson(text);
    const schema = responses[status];
    const answer = schema?.safeParse(value);
    if (answer?.success) return { status, body: answer.data };
    const envelope = ZErrorEnvelope.safeParse(value);
    if (envelope.success) {
      throw new AppError(envelope.data.error.code, { message: envelope.data.error.message, details: { status, url } });
    }
    throw new AppError("control_api_unreachable", {
      message: answer
        ? `Control API at ${baseUrl} answered ${what} with HTTP ${status} but not the answer its contract describes (${describeIssues(answer.error)}): run the executor and its callers from the same version`
        : `Control API at ${baseUrl} answered ${what} with HTTP ${status} and no error envelope (${text.slice(0, 200) || "empty body"}): check that the URL points at an executor`,
      details: { status, url },
    });
  };

  return {
    baseUrl,
    async health<TSchema extends z.ZodType = typeof ZHealthReport>(schema?: TSchema) {
      const report = (schema ?? ZHealthReport) as TSchema;
      const answer = await call("health", {}, { 200: report, 503: report });
      return { status: answer.status === 503 ? 503 : 200, report: answer.body };
    },
    async deliver({ accessToken, messageId }) {
      const answer = await call("deliver", { bearer: accessToken, body: { message_id: messageId } }, CONTROL_API_ROUTES.deliver.responses);
      return answer.body;
    },
    async executeApproval({ accessToken, proposalId }) {
      const route = CONTROL_API_ROUTES.executeApproval;
      const answer = await call("executeApproval", { bearer: accessToken, params: { proposalId } }, route.responses);
      return answer.body;
    },
    async postTaskEvent({ serviceRoleKey, taskId, event }) {
      const route = CONTROL_API_ROUTES.postTaskEvent;
      const answer = await call("postTaskEvent", { bearer: serviceRoleKey, params: { taskId }, body: event }, route.responses);
      return { event: answer.body.event, duplicate: answer.status === 200 };
    },
    async provisionAgent({ accessToken, requestId }) {
      const route = CONTROL_API_ROUTES.provisionAgent;
      const answer = await call("provisionAgent", { bearer: accessToken, body: { request_id: requestId } }, route.responses);
      return answer.body;
    },
    async setProviderKey({ accessToken, connectionId, apiKey }) {
      const route = CONTROL_API_ROUTES.setProviderKey;
      const answer = await call(
        "setProviderKey",
        { bearer: accessToken, params: { connectionId }, body: { api_key: apiKey } },
        route.responses,
      );
      return answer.body;
    },
    async testProvider({ accessToken, connectionId, model }) {
      const route = CONTROL_API_ROUTES.testProvider;
      // A provider test makes a real (small) model call: give it the provider's time, not the default 5 s.
      const body = model ? { model } : {};
      const answer = await call(
        "testProvider",
        { bearer: accessToken, params: { connectionId }, body, timeoutMs: 60_000 },
        route.responses,
      );
      return answer.body;
    },
    async wakeRun({ accessToken, runId }) {
      const answer = await call("wakeRun", { bearer: accessToken, params: { runId } }, CONTROL_API_ROUTES.wakeRun.responses);
      return answer.body;
    },
    async readChangesetCurrent({ accessToken, changesetId }) {
      const route = CONTROL_API_ROUTES.readChangesetCurrent;
      const answer = await call("readChangesetCurrent", { bearer: accessToken, params: { changesetId } }, route.responses);
      return answer.body;
    },
    async checkSkill({ accessToken, skillId }) {
      const answer = await call("checkSkill", { bearer: accessToken, params: { skillId } }, CONTROL_API_ROUTES.checkSkill.responses);
      return answer.body;
    },
    async applySchedule({ accessToken, projectId }) {
      const route = CONTROL_API_ROUTES.applySchedule;
      const answer = await call("applySchedule", { bearer: accessToken, body: { project_id: projectId } }, route.responses);
      return answer.body;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
