import { describe, expect, it } from "vitest";
import { extractProposalBlock } from "./extract-proposal-block.ts";

const block = (json: unknown) => `\`\`\`proposal\n${typeof json === "string" ? json : JSON.stringify(json)}\n\`\`\``;
const fileWrite = {
  action_type: "file_write",
  params: { path: "notes/plan.md", content: "# Plan\n```js\nx\n```\n" },
  summary: "Write the plan",
  risk: "low",
  reversibility: "reversible",
};

describe("extractProposalBlock", () => {
  it("leaves a reply without a proposal block as it is", () => {
    expect(extractProposalBlock("  Just text.  ")).toEqual({ visible: "Just text.", proposal: null });
  });

  it("takes one valid proposal out of the visible text, even when its content holds fences", () => {
    const { visible, proposal } = extractProposalBlock(`Here is my revision.\n\n${block(fileWrite)}\n\nThanks!`);
    expect(visible).toBe("Here is my revision.\n\nThanks!");
    expect(proposal).toEqual({ ok: true, value: expect.objectContaining({ action_type: "file_write", risk: "low" }) });
    expect(proposal?.ok && proposal.value.params).toEqual(fileWrite.params);
  });

  it("accepts pretty-printed JSON over several lines", () => {
    const { proposal } = extractProposalBlock(block(JSON.stringify(fileWrite, null, 2)));
    expect(proposal?.ok).toBe(true);
  });

  it("refuses params that fail the action's schema and says which", () => {
    const { visible, proposal } = extractProposalBlock(
      `Try this ${"\n"}${block({ ...fileWrite, params: { path: "../etc/passwd", content: "x" } })}`,
    );
    expect(visible).toBe("Try this");
    expect(proposal).toEqual({ ok: false, error: expect.stringContaining("params.path") });
  });

  it("refuses a block that is not JSON, and more than one proposal", () => {
    expect(extractProposalBlock(block("{nope")).proposal).toEqual({ ok: false, error: "the proposal block is not valid JSON" });
    const two = extractProposalBlock(`${block(fileWrite)}\n${block(fileWrite)}`);
    expect(two.proposal).toEqual({ ok: false, error: expect.stringContaining("2 proposal blocks") });
    expect(two.visible).toBe("");
  });
});
