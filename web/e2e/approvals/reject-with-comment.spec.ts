import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, insertTask, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("rejecting a proposal", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("a rejection needs a comment, is recorded with it, and the agent's revised proposal appears live", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "reject" });
    const taskId = await insertTask(admin, project.id, { title: "Write the release note" });
    const file = `release-${project.id.slice(0, 8)}.md`;
    const first = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: file, content: "We ship on Friday!!!\n" },
      proposed_by_agent_key: "lead",
      summary: `Write ${file}`,
      risk: "low",
      task_id: taskId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const card = approvalCard(page, first);
    await expect(card.getByTestId("file-write-diff")).toContainText("We ship on Friday!!!");

    await card.getByRole("button", { name: "Reject", exact: true }).click();
    const confirm = card.getByRole("button", { name: "Reject with comment" });
    await expect(confirm).toBeDisabled();
    await card.getByRole("textbox", { name: "Rejection comment" }).fill("Name the date instead of shouting.");
    await confirm.click();
    await expect(card).toHaveAttribute("data-status", "rejected");
    await expect(card.getByTestId("approval-outcome")).toContainText("Rejected by you");
    await expect(card.getByTestId("approval-outcome")).toContainText("Name the date instead of shouting.");
    expect(await readProposal(admin, first)).toMatchObject({
      status: "rejected",
      resolution_comment: "Name the date instead of shouting.",
    });
    await expect(page.getByTestId("task-thread")).toContainText("Rejected file_write: Name the date instead of shouting.");

    // The rejection wakes the proposing agent (the executor's built-in model revises deterministically).
    await expect
      .poll(
        async () => {
          const revised = await admin.from("action_proposals").select("id").eq("revision_of", first);
          return revised.data?.length ?? 0;
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    const revised = await admin.from("action_proposals").select("id, task_id, proposed_by_agent_key").eq("revision_of", first).single();
    expect(revised.data).toMatchObject({ task_id: taskId, proposed_by_agent_key: "lead" });
    const next = approvalCard(page, revised.data?.id ?? "");
    await expect(next).toHaveAttribute("data-status", "proposed");
    await expect(next).toContainText("revision of an earlier proposal");
    await expect(next.getByTestId("file-write-diff")).toContainText("Name the date instead of shouting.");
    await expect(next.getByRole("button", { name: "Approve", exact: true })).toBeVisible();
    await shot("task-thread-rejected-and-revised");
  });
});
