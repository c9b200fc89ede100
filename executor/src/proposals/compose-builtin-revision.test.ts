import { describe, expect, it } from "vitest";
import { composeBuiltinRevision } from "./compose-builtin-revision.ts";
import { extractProposalBlock } from "./extract-proposal-block.ts";
import { parseOutcomeNotice } from "./parse-outcome-notice.ts";

const id = "0b7f5a52-3c1e-4a8e-9d43-2f0a3b9c1d11";
/** The notice as wake_proposing_agent() writes it. */
const notice = (status: string, actionType: string, quote: Record<string, unknown>) =>
  `Proposal ${id} (${actionType}) ${status}\nComment: add a title\nRevise it ...\n\`\`\`json\n${JSON.stringify({ proposal_id: id, action_type: actionType, ...quote })}\n\`\`\``;

describe("parseOutcomeNotice", () => {
  it("reads the proposal, status, params and comment", () => {
    const parsed = parseOutcomeNotice(
      notice("was rejected by an operator.", "file_write", { params: { path: "a.md", content: "x" }, comment: "add a title" }),
    );
    expect(parsed).toEqual({
      proposalId: id,
      actionType: "file_write",
      status: "rejected",
      params: { path: "a.md", content: "x" },
      comment: "add a title",
    });
  });

  it("is null for ordinary messages and for a quote that was cut off", () => {
    expect(parseOutcomeNotice("Can you write the plan?")).toBeNull();
    expect(
      parseOutcomeNotice(`Proposal ${id} (file_write) was rejected by an operator.\n\`\`\`json\n{"proposal_id": "${id}", "par\n\`\`\``),
    ).toBeNull();
  });
});

describe("composeBuiltinRevision", () => {
  it("revises a rejected file_write: same path, the comment appended, one valid proposal block", () => {
    const text = composeBuiltinRevision(
      notice("was rejected by an operator.", "file_write", {
        params: { path: "notes/plan.md", content: "# Plan\n" },
        comment: "add a\nsummary",
      }),
    );
    expect(text).toMatch(/^Understood: I revised notes\/plan.md to address "add a summary"/);
    const { proposal, visible } = extractProposalBlock(text ?? "");
    expect(visible).not.toContain("```");
    expect(proposal).toEqual({
      ok: true,
      value: expect.objectContaining({
        action_type: "file_write",
        params: { path: "notes/plan.md", content: "# Plan\nadd a summary\n" },
        risk: "low",
      }),
    });
  });

  it("is the same text every time", () => {
    const input = notice("was rejected by an operator.", "file_write", { params: { path: "a.md", content: "" }, comment: "say hi" });
    expect(composeBuiltinRevision(input)).toBe(composeBuiltinRevision(input));
  });

  it("stays out of other outcomes, other actions and rejections without a comment", () => {
    const params = { path: "a.md", content: "x" };
    expect(composeBuiltinRevision(notice("was approved and executed.", "file_write", { params }))).toBeNull();
    expect(composeBuiltinRevision(notice("was rejected by an operator.", "edit_doc", { params, comment: "no" }))).toBeNull();
    expect(composeBuiltinRevision(notice("was rejected by an operator.", "file_write", { params }))).toBeNull();
  });
});
