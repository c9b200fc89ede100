import { describe, expect, it } from "vitest";
import { foldOutcomeReplies, readOutcomeNotice } from "./read-outcome-notice.ts";

const PID = "11111111-2222-4333-8444-555555555555";
// The text the wake_proposing_agent trigger writes (see its migration).
const rejectedText = `Proposal ${PID} (send_message) was rejected by an operator.\nComment: too loud\nRevise it …\n\`\`\`json\n${JSON.stringify(
  {
    proposal_id: PID,
    action_type: "send_message",
    params: { thread_key: "team-room", content: "hi" },
    status: "rejected",
    comment: "too loud",
  },
)}\n\`\`\``;
const notice = (over: Partial<{ id: string; content: string; metadata: Record<string, unknown> }> = {}) => ({
  id: "n1",
  author_type: "system" as const,
  message_type: "system" as const,
  content: rejectedText,
  metadata: { kind: "proposal_outcome", proposal_id: PID, status: "rejected", action_type: "send_message" },
  reply_to: null,
  ...over,
});

describe("readOutcomeNotice", () => {
  it("reads the facts from metadata and the comment from the quote", () => {
    expect(readOutcomeNotice(notice())).toEqual({
      proposalId: PID,
      actionType: "send_message",
      status: "rejected",
      comment: "too loud",
      error: null,
    });
  });

  it("reads a failure's error", () => {
    const content = `Proposal ${PID} (api_call) failed: HTTP 500.\n\`\`\`json\n{"proposal_id":"${PID}","error":"HTTP 500","status":"failed"}\n\`\`\``;
    const read = readOutcomeNotice(
      notice({ content, metadata: { kind: "proposal_outcome", proposal_id: PID, status: "failed", action_type: "api_call" } }),
    );
    expect(read?.error).toBe("HTTP 500");
    expect(read?.status).toBe("failed");
  });

  it("still reads a notice whose quote was cut off", () => {
    expect(readOutcomeNotice(notice({ content: rejectedText.slice(0, 120) }))?.comment).toBeNull();
  });

  it("is null for other messages: not system, another kind, an unknown status", () => {
    expect(readOutcomeNotice({ ...notice(), author_type: "agent" })).toBeNull();
    expect(readOutcomeNotice(notice({ metadata: { kind: "something_else" } }))).toBeNull();
    expect(
      readOutcomeNotice(notice({ metadata: { kind: "proposal_outcome", proposal_id: PID, status: "proposed", action_type: "x" } })),
    ).toBeNull();
  });
});

describe("foldOutcomeReplies", () => {
  it("folds agent replies to a notice under it and keeps everything else in order", () => {
    const text = "text" as const;
    const op = { id: "u1", author_type: "user" as const, message_type: text, content: "hi", metadata: {}, reply_to: null };
    const answer = { id: "a1", author_type: "agent" as const, message_type: text, content: "hello", metadata: {}, reply_to: "u1" };
    const toNotice = { id: "a2", author_type: "agent" as const, message_type: text, content: "Noted.", metadata: {}, reply_to: "n1" };
    const revision = {
      id: "a3",
      author_type: "agent" as const,
      message_type: "action_proposal" as const,
      content: "",
      metadata: {},
      reply_to: "n1",
    };
    const { shown, repliesByNotice } = foldOutcomeReplies([op, answer, notice(), toNotice, revision]);
    expect(shown.map((m) => m.id)).toEqual(["u1", "a1", "n1", "a3"]);
    expect(repliesByNotice.get("n1")?.map((m) => m.id)).toEqual(["a2"]);
  });
});
