import { dmPane } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread } from "../testing/test-data.ts";

test.describe("proposals in chat", () => {
  test("a proposal made in a DM shows as an approval card there, and is rejected from it", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "dm-proposal", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "send_message",
      params: { thread_key: "team-room", content: "Stand-up moves to 10:00." },
      proposed_by_agent_key: "lead",
      summary: "Tell the team about the new stand-up time",
      thread_id: threadId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const pane = dmPane(page, "Lead");
    const card = pane.locator(`[data-testid="approval-card"][data-proposal-id="${proposalId}"]`);
    await expect(card).toContainText("Stand-up moves to 10:00.");
    await expect(approvalCard(page, proposalId)).toHaveCount(1);
    await card.getByRole("button", { name: "Reject", exact: true }).click();
    await card.getByRole("textbox", { name: "Rejection comment" }).fill("Not yet: wait for the vote.");
    await card.getByRole("button", { name: "Reject with comment" }).click();
    await expect(card).toHaveAttribute("data-status", "rejected");
    await shot("dm-proposal-rejected");
    expect(await readProposal(admin, proposalId)).toMatchObject({ status: "rejected", resolution_comment: "Not yet: wait for the vote." });
  });
});
