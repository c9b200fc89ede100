import { type TProvisionAnswer, ZProvisionAnswer } from "@mission-control/shared/control-api";
import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import { type TAgentProfile, ZAgentProfile } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import type { z } from "zod";
import type { TAgentRow, TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";

/** What applying a provision request needs (the Control API handler and the provision worker pass the same). */
export type TProvisionDeps = { db: TDb; executorId: string; log: Logger };

/** The profile fields an update may change, in ZAgentProfile's order. */
const PROFILE_KEYS = Object.keys(ZAgentProfile.shape) as (keyof TAgentProfile)[];

/**
 * Applies one agent provision request (the dashboard wrote it with request_agent_provision): the
 * profile is validated with the shared ZAgentProfile (create: the whole profile; update: the changed
 * fields, checked together with the agent's current profile so cross-field rules hold; delete:
 * nothing), a named provider connection must belong to the project, then
 * apply_agent_provision_request writes it in order per agent (the database's own refusals come back
 * as a failed request with a sentence). A profile the schema refuses fails the request with the zod
 * sentence ("Invalid agent profile: display_name is required"). A request that is no longer queued
 * is answered as it is; one waiting behind an older request for the same agent stays queued.
 * Throws `not_found` for an unknown id and `database_unreachable` when the database cannot be reached.
 */
export async function applyProvisionRequest(deps: TProvisionDeps, requestId: string): Promise<TProvisionAnswer> {
  const { db } = deps;
  const log = deps.log.child({ provisionRequestId: requestId });
  const found = await db.from("agent_provision_requests").select("*").eq("id", requestId).maybeSingle();
  if (found.error) throw readDbError(found.error, `Could not read agent provision request ${requestId}`, "database_unreachable");
  const request = found.data;
  if (!request) {
    throw new AppError("not_found", {
      message: `Agent provision request ${requestId} does not exist: write it with request_agent_provision first`,
      details: { requestId },
    });
  }
  if (request.status !== "queued") {
    return {
      request_id: request.id,
      status: request.status as TProvisionAnswer["status"],
      agent_id: request.agent_id,
      error: request.error,
    };
  }

  let profile: Record<string, unknown> = {};
  if (request.action === "create" || request.action === "update") {
    const raw = isObject(request.profile) ? request.profile : {};
    const validated =
      request.action === "create"
        ? validateCreate(raw, request.agent_key)
        : await validateUpdate(db, raw, { projectId: request.project_id, agentId: request.agent_id, agentKey: request.agent_key });
    if ("error" in validated) return fail(deps, requestId, validated.error, log);
    profile = validated.profile;
    const connectionId = profile.provider_connection_id;
    if (typeof connectionId === "string") {
      const connection = await db
        .from("provider_connections")
        .select("id")
        .eq("id", connectionId)
        .eq("project_id", request.project_id)
        .maybeSingle();
      if (connection.error) throw readDbError(connection.error, "Could not check the provider connection", "database_unreachable");
      if (!connection.data) {
        return fail(
          deps,
          requestId,
          `Provider connection ${connectionId} does not belong to this project: pick one from Settings → Providers`,
          log,
        );
      }
    }
  }

  const { data, error } = await db.rpc("apply_agent_provision_request", {
    p_id: requestId,
    p_profile: profile as Json,
    p_executor_id: deps.executorId,
  });
  if (error) throw readDbError(error, `Could not apply agent provision request ${requestId}`, "database_unreachable");
  const answer = readAnswer(data, "apply_agent_provision_request");
  log.info(
    { action: request.action, agentKey: request.agent_key, status: answer.status, error: answer.error },
    "agent provision request handled",
  );
  return answer;
}

/** A create request's profile: every field, defaults applied, under the request's agent key. */
function validateCreate(raw: Record<string, unknown>, agentKey: string): { profile: Record<string, unknown> } | { error: string } {
  const parsed = ZAgentProfile.safeParse({ ...raw, agent_key: agentKey });
  if (!parsed.success) return { error: describeInvalid(parsed.error) };
  return { profile: parsed.data };
}

/**
 * An update request's changed fields, validated on top of the agent's current profile (so "max
 * output below max context" and "a connection only with provider connection" hold for the result).
 * Choosing a provider other than `connection` clears the connection. An agent that is gone is left
 * to the database, which fails the request with its own sentence.
 */
async function validateUpdate(
  db: TDb,
  raw: Record<string, unknown>,
  target: { projectId: string; agentId: string | null; agentKey: string },
): Promise<{ profile: Record<string, unknown> } | { error: string }> {
  const query = db.from("agents").select("*").eq("project_id", target.projectId);
  const current = await (target.agentId ? query.eq("id", target.agentId) : query.eq("agent_key", target.agentKey)).maybeSingle();
  if (current.error) throw readDbError(current.error, `Could not read agent @${target.agentKey}`, "database_unreachable");
  const changed = PROFILE_KEYS.filter((key) => key in raw);
  if (changed.length === 0) return { error: "The update changes no profile field: nothing to apply" };
  if (!current.data) return { profile: Object.fromEntries(changed.map((key) => [key, raw[key]])) };
  const patch = { ...raw };
  if ("provider" in patch && patch.provider !== "connection" && !("provider_connection_id" in patch)) {
    patch.provider_connection_id = null;
    changed.push("provider_connection_id");
  }
  const parsed = ZAgentProfile.safeParse({ ...profileOf(current.data), ...patch });
  if (!parsed.success) return { error: describeInvalid(parsed.error) };
  return { profile: Object.fromEntries(changed.map((key) => [key, parsed.data[key]])) };
}

/** The profile columns of an agent row, as ZAgentProfile reads them. */
function profileOf(agent: TAgentRow): Record<string, unknown> {
  return Object.fromEntries(
    PROFILE_KEYS.map((key) => [key, key === "temperature" && agent.temperature !== null ? Number(agent.temperature) : agent[key]]),
  );
}

/** The zod issues as one sentence: "Invalid agent profile: display_name is required; temperature must be between 0 and 2". */
function describeInvalid(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "profile"} ${issue.message}`);
  return `Invalid agent profile: ${issues.join("; ")}`;
}

async function fail(deps: TProvisionDeps, requestId: string, reason: string, log: Logger): Promise<TProvisionAnswer> {
  const { data, error } = await deps.db.rpc("fail_agent_provision_request", {
    p_id: requestId,
    p_error: reason,
    p_executor_id: deps.executorId,
  });
  if (error) throw readDbError(error, `Could not record why agent provision request ${requestId} failed`, "database_unreachable");
  log.warn({ reason }, "agent provision request refused");
  return readAnswer(data, "fail_agent_provision_request");
}

function readAnswer(data: unknown, rpc: string): TProvisionAnswer {
  const parsed = ZProvisionAnswer.safeParse(data);
  if (!parsed.success) {
    throw new AppError("internal", {
      message: `${rpc} returned an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"} (are the migrations up to date?)`,
    });
  }
  return parsed.data;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
