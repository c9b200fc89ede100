import { expect, test } from "../testing/fixtures.ts";
import { insertTask, proposeAction } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("approvals inbox", () => {
  test("the sidebar count and the inbox follow proposals live, oldest first", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "inbox" });
    const taskId = await insertTask(admin, project.id, { title: "Prepare the demo" });
    await signIn();
    await page.goto(`/p/${project.slug}/approvals`);
    const count = page.getByTestId("approvals-count");
    await expect(page.getByText("Nothing is waiting for a decision")).toBeVisible();
    await expect(count).toHaveCount(0);

    await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Record the demo video" },
      proposed_by_agent_key: "lead",
      summary: "Add a task for the demo video",
      task_id: taskId,
    });
    await expect(count).toHaveText("1");
    await proposeAction(admin, project.id, {
      action_type: "send_message",
      params: { thread_key: "DM:web", content: "Please prepare the slides." },
      proposed_by_agent_key: "lead",
      summary: "Ask Web for slides",
    });
    await expect(count).toHaveText("2");
    const items = page.getByTestId("inbox-item");
    await expect(items).toHaveCount(2);
    await expect(items.first()).toContainText("Add a task for the demo video");
    await expect(items.first()).toContainText("In task Prepare the demo");
    await expect(items.nth(1)).toContainText("Not linked to a task");
    await shot("approvals-inbox");

    await items.first().getByRole("button", { name: "Approve", exact: true }).click();
    await expect(count).toHaveText("1");
    await expect(items).toHaveCount(1);

    // The feed shows the proposals and the approval, filterable by agent and type.
    await page.getByRole("link", { name: "Activity" }).click();
    const feed = page.getByRole("list", { name: "Project activity" });
    await page.getByLabel("Filter by type").selectOption("approval");
    await expect(feed).toContainText("Approved create_task");
    await expect(feed).not.toContainText("Moved");
    await page.getByLabel("Filter by agent").selectOption("lead");
    await expect(feed.getByTestId("activity-item")).toHaveCount(2);
    await expect(feed).toContainText("lead proposes send_message");
    await shot("activity-filtered");
  });
});
