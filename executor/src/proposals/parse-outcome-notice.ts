import { z } from "zod";

/**
 * The notice the database posts to a proposing agent when its proposal ends (trigger
 * wake_proposing_agent): a first line "Proposal <id> (<action_type>) was rejected by an
 * operator." and the proposal as one line of JSON in a ```json block.
 */
export type TOutcomeNotice = {
  proposalId: string;
  actionType: string;
  status: "executed" | "rejected" | "expired" | "failed";
  params: unknown;
  comment: string | null;
};

const HEADLINE = /^Proposal ([0-9a-f-]{36}) \(([a-z_]+)\) (was approved and executed|was rejected|expired|failed)/;
const QUOTE = /```json\r?\n(\{.*\})\r?\n```/;

const ZQuote = z.looseObject({
  proposal_id: z.string(),
  action_type: z.string(),
  params: z.unknown().optional(),
  comment: z.string().optional(),
});

/** Reads an outcome notice; null when the text is not one (or its quote was cut off). */
export function parseOutcomeNotice(text: string): TOutcomeNotice | null {
  const headline = HEADLINE.exec(text.trimStart());
  const quote = QUOTE.exec(text);
  if (!headline?.[1] || !headline[2] || !headline[3] || !quote?.[1]) return null;
  let json: unknown;
  try {
    json = JSON.parse(quote[1]);
  } catch {
    return null;
  }
  const parsed = ZQuote.safeParse(json);
  if (!parsed.success || parsed.data.proposal_id !== headline[1]) return null;
  const verb = headline[3];
  const status = verb.startsWith("was approved")
    ? "executed"
    : verb.startsWith("was rejected")
      ? "rejected"
      : verb === "expired"
        ? "expired"
        : "failed";
  return {
    proposalId: headline[1],
    actionType: headline[2],
    status,
    params: parsed.data.params,
    comment: parsed.data.comment?.trim() ? parsed.data.comment.trim() : null,
  };
}
