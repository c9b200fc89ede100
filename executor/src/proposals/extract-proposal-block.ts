import { type TActionProposalInput, ZActionProposalInput } from "@mission-control/shared/schemas";

/** The fenced block an agent uses to propose an action: ```proposal, one JSON object, ```. */
const BLOCK = /```proposal[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```[ \t]*(?:\r?\n|$)/g;

/** What a reply says once its proposal block is taken out. */
export type TExtractedProposal = {
  /** The reply without its proposal block(s), trimmed. */
  visible: string;
  /** null: no block; otherwise the validated proposal, or why it cannot be used. */
  proposal: null | { ok: true; value: TActionProposalInput } | { ok: false; error: string };
};

/**
 * Takes the ```proposal block out of an agent's reply and validates it with the shared schema
 * (action_type + params per type, risk, reversibility, …). A reply may carry one proposal; with
 * more than one, none is used.
 */
export function extractProposalBlock(text: string): TExtractedProposal {
  const bodies: string[] = [];
  const visible = text
    .replace(BLOCK, (_block, body: string) => {
      bodies.push(body);
      return "\n";
    })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (bodies.length === 0) return { visible: text.trim(), proposal: null };
  if (bodies.length > 1) {
    return { visible, proposal: { ok: false, error: `the reply has ${bodies.length} proposal blocks; send one proposal per reply` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(bodies[0] ?? "");
  } catch {
    return { visible, proposal: { ok: false, error: "the proposal block is not valid JSON" } };
  }
  const parsed = ZActionProposalInput.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "proposal"}: ${issue.message}`)
      .join("; ");
    return { visible, proposal: { ok: false, error: `the proposal is invalid (${issues})` } };
  }
  return { visible, proposal: { ok: true, value: parsed.data } };
}
