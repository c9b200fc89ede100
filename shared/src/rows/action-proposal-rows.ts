import { z } from "zod";
import { ACTION_PROPOSAL_STATUSES, ACTION_TYPES, REVERSIBILITIES, RISK_LEVELS } from "../schemas/column-enums.ts";
import { jsonObject, seq } from "./edge-fields.ts";

/**
 * An action an agent proposes, as a live view holds it. Params stay a plain object here (the
 * edge); the approval card validates them per action type with ZActionProposalParams
 * (`@mission-control/shared/schemas`, whose ZActionProposal is the strict form of this row).
 */
export const ZProposal = z.object({
  id: z.string(),
  project_id: z.string(),
  action_type: z.enum(ACTION_TYPES),
  summary: z.string(),
  params: jsonObject,
  params_hash: z.string(),
  risk: z.enum(RISK_LEVELS),
  blast_radius: z.string(),
  reversibility: z.enum(REVERSIBILITIES),
  rollback_plan: z.string(),
  expires_at: z.string(),
  proposed_by_agent_key: z.string(),
  task_id: z.string().nullable(),
  thread_id: z.string().nullable(),
  revision_of: z.string().nullable(),
  status: z.enum(ACTION_PROPOSAL_STATUSES),
  resolved_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  resolution_comment: z.string().nullable(),
  execution_started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  execution_result: z.unknown().nullable().optional(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** An action_proposals row. */
export type TProposal = z.infer<typeof ZProposal>;
