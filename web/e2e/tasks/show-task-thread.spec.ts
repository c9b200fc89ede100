import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject, OPERATOR } from "../testing/test-data.ts";

test.describe("task thread", () => {
  test("shows description, legacy notes, agent progress and status changes in order, and takes comments and outputs", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "thread" });
    const taskId = await insertTask(admin, project.id, { title: "Migrate the wiki", description: "Move every page to brain docs." });
    await admin.from("task_comments").insert({ task_id: taskId, author: "old-system", body: "Legacy note: 40 pages to move." });
    await admin.from("task_events").insert({
      project_id: project.id,
      task_id: taskId,
      kind: "agent_update",
      author_type: "agent",
      author_agent_key: "lead",
      content: "Moved 12 of 40 pages.",
    });
    await admin.from("tasks").update({ status: "assigned", assignee_agent_key: "lead" }).eq("id", taskId);

    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const thread = page.getByTestId("task-thread");
    const items = thread.getByTestId("thread-item");
    await expect(items).toHaveCount(4);
    await expect(items.nth(0)).toContainText("Move every page to brain docs.");
    await expect(items.nth(1)).toContainText("Legacy note: 40 pages to move.");
    await expect(items.nth(2)).toContainText("Moved 12 of 40 pages.");
    await expect(items.nth(3)).toContainText("Moved from inbox to assigned");

    const reply = page.getByRole("textbox", { name: "Reply to the thread" });
    await reply.fill("Thanks — keep the old URLs as redirects.");
    await reply.press("Enter");
    await expect(items.last()).toContainText("Thanks — keep the old URLs as redirects.");
    await expect(reply).toHaveValue("");

    await page.getByRole("button", { name: "Add output" }).first().click();
    await page.getByRole("textbox", { name: "Output title" }).fill("Redirect map");
    await page.getByRole("textbox", { name: "Output", exact: true }).fill("/wiki/* → /knowledge/*");
    await page.getByRole("button", { name: "Add output" }).last().click();
    await expect(items.last()).toContainText("Redirect map");

    // Agent progress arrives live.
    await admin.from("task_events").insert({
      project_id: project.id,
      task_id: taskId,
      kind: "agent_update",
      author_type: "agent",
      author_agent_key: "lead",
      content: "Moved 40 of 40 pages.",
    });
    await expect(items.last()).toContainText("Moved 40 of 40 pages.");
    await shot("task-thread");

    const stored = await admin.from("task_events").select("kind, author_user_id, metadata").eq("task_id", taskId).eq("author_type", "user");
    expect(stored.data).toEqual(
      expect.arrayContaining([
        { kind: "comment", author_user_id: OPERATOR.userId, metadata: {} },
        { kind: "output_added", author_user_id: OPERATOR.userId, metadata: { title: "Redirect map" } },
      ]),
    );
  });
});
