import type { TChatMessage } from "@mission-control/shared/rows";

/** How a proposal ended, as a notice to the proposing agent says it. */
export type TOutcomeStatus = "executed" | "rejected" | "expired" | "failed";

/** A proposal-outcome notice (posted by the wake_proposing_agent trigger), as the operator needs it. */
export interface TOutcomeNotice {
  proposalId: string;
  actionType: string;
  status: TOutcomeStatus;
  /** The operator's comment on a rejection. */
  comment: string | null;
  /** Why it failed. */
  error: string | null;
}

const STATUSES: readonly string[] = ["executed", "rejected", "expired", "failed"];
const QUOTE = /```json\r?\n(\{.*\})\r?\n```/;

/**
 * Reads a system message the database posted when a proposal ended; null for any other message.
 * The facts come from the message's metadata (written by the trigger); the comment and error from
 * the JSON quote in its text, which is written for the agent and not shown as such.
 */
export function readOutcomeNotice(message: Pick<TChatMessage, "author_type" | "content" | "metadata">): TOutcomeNotice | null {
  if (message.author_type !== "system") return null;
  const meta = message.metadata;
  if (meta.kind !== "proposal_outcome") return null;
  const { proposal_id: proposalId, action_type: actionType, status } = meta;
  if (typeof proposalId !== "string" || typeof actionType !== "string" || typeof status !== "string" || !STATUSES.includes(status)) {
    return null;
  }
  let comment: string | null = null;
  let error: string | null = null;
  const quote = QUOTE.exec(message.content)?.[1];
  if (quote) {
    try {
      const parsed: unknown = JSON.parse(quote);
      if (parsed && typeof parsed === "object") {
        const q = parsed as Record<string, unknown>;
        if (typeof q.comment === "string" && q.comment.trim()) comment = q.comment.trim();
        if (typeof q.error === "string" && q.error.trim()) error = q.error.trim();
      }
    } catch {
      // A quote cut off at the message limit: the proposal itself (in the store) still has both.
    }
  }
  return { proposalId, actionType, status: status as TOutcomeStatus, comment, error };
}

/**
 * Splits a thread into what it shows and the agents' replies to outcome notices: a reply to a
 * notice (reply_to) is folded under the notice's row instead of standing as a message of its own,
 * since it answers the machine's notice rather than the operator. Only text is folded.
 */
export function foldOutcomeReplies<
  T extends Pick<TChatMessage, "id" | "author_type" | "message_type" | "content" | "metadata" | "reply_to">,
>(messages: readonly T[]): { shown: T[]; repliesByNotice: Map<string, T[]> } {
  const notices = new Set(messages.filter((m) => readOutcomeNotice(m)).map((m) => m.id));
  const shown: T[] = [];
  const repliesByNotice = new Map<string, T[]>();
  for (const m of messages) {
    // A revised proposal answering a rejection stays in the thread: the operator decides it.
    if (m.author_type === "agent" && m.message_type === "text" && m.reply_to && notices.has(m.reply_to)) {
      const list = repliesByNotice.get(m.reply_to) ?? [];
      list.push(m);
      repliesByNotice.set(m.reply_to, list);
    } else {
      shown.push(m);
    }
  }
  return { shown, repliesByNotice };
}
