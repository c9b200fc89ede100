import { AppError } from "@mission-control/shared/errors";
import { z } from "zod";
import { type TReferencedDoc, ZReferencedDoc } from "../context/referenced-docs.ts";
import type { TAgentRow, TBrainDocRow, TDeliveryRow, TMessageRow, TThreadRow } from "../db/executor-client.ts";
import { type TConnectionWithSecret, ZConnectionWithSecret } from "../providers/connection-to-provider-config.ts";
import { ZAgentRow, ZBrainDocRow, ZDeliveryRow, ZMessageRow, ZThreadSummary } from "./delivery-row-schemas.ts";

/** Everything one delivery needs from the database before the agent can answer. */
export type TDeliveryInput = {
  delivery: TDeliveryRow;
  message: TMessageRow;
  thread: Pick<TThreadRow, "id" | "kind" | "thread_key" | "title">;
  agent: TAgentRow;
  /** The project mission (brain_docs, agent_key null, doc_type 'mission'); null when there is none. */
  mission: TBrainDocRow | null;
  /** The agent's own docs (agent_key = the agent), oldest first. */
  agentDocs: TBrainDocRow[];
  /** The docs the message references ("#runbook"), as this agent may read them (load_referenced_docs). */
  referencedDocs: TReferencedDoc[];
  /** Earlier messages of the thread, oldest first, without the message being answered. */
  history: TMessageRow[];
  /** The project's `agent_defaults` setting, unvalidated (the settings resolution checks it); null when unset. */
  agentDefaults: unknown;
  /** The provider connections the settings resolution could pick, each with its key's ciphertext. */
  connections: TConnectionWithSecret[];
  /** True when a budget covers the project or this agent: the call is reserved against it first. */
  budgetsApply: boolean;
  /**
   * The provider call the claim reserved against the budgets that cover this delivery (null when no
   * budget applies): `ok` false means it would pass a hard limit and must not be made (`reason` says
   * which, in words); otherwise the call is recorded under `callId`.
   */
  reservation: { ok: boolean; callId: string; reason: string | null } | null;
};

/** A delivery this executor claimed, decoded once at the database edge. */
export type TClaimedDelivery = {
  /** The delivery's id (what the worker tracks). */
  readonly id: string;
  readonly delivery: TDeliveryRow;
  /**
   * What the agent needs, or why this one delivery cannot be answered: `not_found` (the message is
   * gone, the agent is gone or disabled: a permanent failure) or `internal` (the context has an
   * unexpected shape). processDelivery records that error as the delivery's failure.
   */
  readonly input: TDeliveryInput | AppError;
};

/** One element of what claim_chat_delivery_batch (and the `claimed` part of complete_chat_deliveries) returns. */
const ZClaimed = z.object({ delivery: ZDeliveryRow, context: z.unknown() });

/** The shape load_chat_delivery_context() returns. */
const ZDeliveryContext = z.object({
  message: ZMessageRow,
  thread: ZThreadSummary,
  agent: ZAgentRow.nullable(),
  mission: ZBrainDocRow.nullable(),
  agent_docs: z.array(ZBrainDocRow),
  // Absent from a database without the doc references migration: nothing referenced.
  referenced_docs: z.array(ZReferencedDoc).default([]),
  history: z.array(ZMessageRow),
  agent_defaults: z.unknown(),
  connections: z.array(ZConnectionWithSecret),
  budgets_apply: z.boolean(),
  reservation: z.object({ ok: z.boolean(), call_id: z.string(), reason: z.string().nullable() }).nullish(),
});

/**
 * Decodes the `{delivery, context}` array `rpc` returned for deliveries it claimed for this
 * executor: each delivery row is checked, and each context (the message, its thread, the agent's
 * profile, the mission, the agent's docs, the last messages before it, the project's agent defaults,
 * the provider connections it could run on and whether a budget applies) is checked and shaped for
 * the agent once. A context that cannot be answered fails only its own delivery (see
 * `TClaimedDelivery.input`). A claimed item whose delivery row does not decode is left out and
 * reported to `onMalformed`: it stays claimed for this executor, so the orphan check hands it back
 * (its attempt counted) and the others of the call still run. A response that is not an array
 * fails the call, since the database no longer answers what this executor expects.
 */
export function decodeClaimedDeliveries(raw: unknown, rpc: string, onMalformed: (problem: AppError) => void): TClaimedDelivery[] {
  if (!Array.isArray(raw)) {
    throw new AppError("internal", { message: `${rpc} did not return a JSON array (are the migrations up to date?)` });
  }
  const decoded: TClaimedDelivery[] = [];
  for (const item of raw) {
    const parsed = ZClaimed.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      onMalformed(
        new AppError("internal", {
          message: `${rpc} returned a claimed delivery of an unexpected shape (${issue?.path.join(".") || "item"}: ${issue?.message ?? "invalid"}); it is handed back later (are the migrations up to date?)`,
        }),
      );
      continue;
    }
    const { delivery, context } = parsed.data;
    decoded.push({ id: delivery.id, delivery, input: readDeliveryInput(delivery, context) });
  }
  return decoded;
}

function readDeliveryInput(delivery: TDeliveryRow, raw: unknown): TDeliveryInput | AppError {
  if (raw === null || raw === undefined) {
    return new AppError("not_found", {
      message: `Message ${delivery.message_id} no longer exists: nothing to answer`,
      details: { deliveryId: delivery.id },
    });
  }
  const parsed = ZDeliveryContext.safeParse(raw);
  if (!parsed.success) {
    return new AppError("internal", {
      message: `load_chat_delivery_context returned an unexpected shape for delivery ${delivery.id}: ${parsed.error.issues[0]?.message ?? "invalid"} (are the migrations up to date?)`,
    });
  }
  const { message, thread, agent, mission, agent_docs, referenced_docs, history, agent_defaults, connections, budgets_apply, reservation } =
    parsed.data;
  if (!agent?.enabled) {
    return new AppError("not_found", {
      message: `Agent ${delivery.agent_key} ${agent ? "is disabled" : "no longer exists"} in this project: enable it on the Agents page, then retry`,
      details: { agentKey: delivery.agent_key },
    });
  }
  return {
    delivery,
    message,
    thread,
    agent,
    mission,
    agentDocs: agent_docs,
    referencedDocs: referenced_docs,
    history,
    agentDefaults: agent_defaults ?? null,
    connections,
    budgetsApply: budgets_apply,
    reservation: reservation ? { ok: reservation.ok, callId: reservation.call_id, reason: reservation.reason } : null,
  };
}
