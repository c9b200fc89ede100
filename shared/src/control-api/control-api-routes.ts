import type { z } from "zod";
import { ZProvisionAnswer, ZProvisionRequest } from "./agent-provision.ts";
import { ZExecuteApprovalAnswer, ZExecuteApprovalParams } from "./approval-execution.ts";
import { ZDeliverAnswer, ZDeliverRequest } from "./chat-delivery.ts";
import { ZHealthReport } from "./health-report.ts";
import {
  ZProviderConnectionParams,
  ZSetProviderKeyAnswer,
  ZSetProviderKeyBody,
  ZTestProviderAnswer,
  ZTestProviderBody,
} from "./provider-connection.ts";
import { ZChangesetCurrentAnswer, ZChangesetParams, ZRunParams, ZWakeRunAnswer } from "./run-control.ts";
import { ZApplyScheduleAnswer, ZApplyScheduleRequest } from "./schedule-control.ts";
import { ZCheckSkillAnswer, ZSkillParams } from "./skill-check.ts";
import { ZAgentTaskEvent, ZTaskEventAnswer, ZTaskEventParams } from "./task-event.ts";

/** Who may call a route: anyone, an operator (Supabase access token) or the executor's agents (service role key), each as `Authorization: Bearer …`. */
export type TControlApiAuth = "none" | "operator" | "service_role";

/** One route of the Control API: everything the server routes by and the client builds from. */
export interface TControlApiRoute {
  readonly method: "GET" | "POST";
  /** The path pattern; a `:name` segment is a path parameter (see matchRoutePath / buildRoutePath). */
  readonly path: string;
  readonly auth: TControlApiAuth;
  /** Schema of the path parameters, or null when the path has none. */
  readonly params: z.ZodType<Record<string, string>> | null;
  /** Schema of the JSON body, or null when the route reads none. */
  readonly body: z.ZodType | null;
  /** Schema of the JSON answer per success status; any other status answers the error envelope. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
}

/**
 * The Control API, one entry per route, in the order the server matches them. The executor serves
 * each with one handler (its handler table is typed by this one) and the client builds and checks
 * its calls with the same schemas, so a new route is one entry here plus one handler.
 */
export const CONTROL_API_ROUTES = {
  health: {
    method: "GET",
    path: "/health",
    auth: "none",
    params: null,
    body: null,
    responses: { 200: ZHealthReport, 503: ZHealthReport },
  },
  deliver: {
    method: "POST",
    path: "/api/chat/deliver",
    auth: "operator",
    params: null,
    body: ZDeliverRequest,
    responses: { 202: ZDeliverAnswer },
  },
  executeApproval: {
    method: "POST",
    path: "/api/approvals/:proposalId/execute",
    auth: "operator",
    params: ZExecuteApprovalParams,
    body: null,
    responses: { 202: ZExecuteApprovalAnswer },
  },
  postTaskEvent: {
    method: "POST",
    path: "/api/tasks/:taskId/events",
    auth: "service_role",
    params: ZTaskEventParams,
    body: ZAgentTaskEvent,
    responses: { 201: ZTaskEventAnswer, 200: ZTaskEventAnswer },
  },
  provisionAgent: {
    method: "POST",
    path: "/api/agents/provision",
    auth: "operator",
    params: null,
    body: ZProvisionRequest,
    responses: { 200: ZProvisionAnswer },
  },
  setProviderKey: {
    method: "POST",
    path: "/api/providers/:connectionId/key",
    auth: "operator",
    params: ZProviderConnectionParams,
    body: ZSetProviderKeyBody,
    responses: { 200: ZSetProviderKeyAnswer },
  },
  testProvider: {
    method: "POST",
    path: "/api/providers/:connectionId/test",
    auth: "operator",
    params: ZProviderConnectionParams,
    body: ZTestProviderBody,
    responses: { 200: ZTestProviderAnswer },
  },
  wakeRun: {
    method: "POST",
    path: "/api/runs/:runId/wake",
    auth: "operator",
    params: ZRunParams,
    body: null,
    responses: { 202: ZWakeRunAnswer },
  },
  readChangesetCurrent: {
    method: "GET",
    path: "/api/changesets/:changesetId/current",
    auth: "operator",
    params: ZChangesetParams,
    body: null,
    responses: { 200: ZChangesetCurrentAnswer },
  },
  checkSkill: {
    method: "POST",
    path: "/api/skills/:skillId/check",
    auth: "operator",
    params: ZSkillParams,
    body: null,
    responses: { 200: ZCheckSkillAnswer },
  },
  applySchedule: {
    method: "POST",
    path: "/api/schedule/apply",
    auth: "operator",
    params: null,
    body: ZApplyScheduleRequest,
    responses: { 200: ZApplyScheduleAnswer },
  },
} as const satisfies Record<string, TControlApiRoute>;

/** The name of a Control API route. */
export type TControlApiRouteName = keyof typeof CONTROL_API_ROUTES;

type TRouteOf<TName extends TControlApiRouteName> = (typeof CONTROL_API_ROUTES)[TName];
type TParsed<TSchema> = TSchema extends z.ZodType ? z.output<TSchema> : undefined;

/** A route's path parameters once parsed (undefined when it has none). */
export type TRouteParams<TName extends TControlApiRouteName> = TParsed<TRouteOf<TName>["params"]>;
/** A route's body once parsed (undefined when it reads none). */
export type TRouteBody<TName extends TControlApiRouteName> = TParsed<TRouteOf<TName>["body"]>;
/** What a route answers on success: one of its statuses with a body of that status' schema. */
export type TRouteAnswer<TName extends TControlApiRouteName> = {
  [TStatus in keyof TRouteOf<TName>["responses"]]: { status: TStatus; body: z.input<TRouteOf<TName>["responses"][TStatus]> };
}[keyof TRouteOf<TName>["responses"]];
