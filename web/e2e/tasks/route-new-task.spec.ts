import type { TAdminClient } from "../testing/admin-client.ts";
import { expect, test } from "../testing/fixtures.ts";
import { boardColumn, insertTask, readTask } from "../testing/task-helpers.ts";
import { createTestProject, type TTestProject } from "../testing/test-data.ts";

/** Gives the project's web agent capability tags, as its profile editor would. */
async function tagWebAgent(admin: TAdminClient, project: TTestProject, capabilities: string[]): Promise<void> {
  const tagged = await admin.from("agents").update({ capabilities }).eq("project_id", project.id).eq("agent_key", "web");
  if (tagged.error) throw new Error(`could not tag the agent: ${tagged.error.message}`);
}

test.describe("routing a new task", () => {
  // One Playwright worker shares the executor and earlier specs may have started it: this runs in
  // Backup, where the routed run waits in the queue and the card stays where routing put it.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("previews the best match while typing, then creates the task assigned to it with the reason in its thread", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "route-new-task" });
    await tagWebAgent(admin, project, ["sql", "migrations"]);
    await signIn();
    await page.goto(`/p/${project.slug}/tasks`);

    await page.getByRole("button", { name: "New task" }).click();
    const form = page.getByRole("form", { name: "New task" });
    await expect(form.getByLabel("Assignee").locator("option:checked")).toHaveText("Best match (routed)");
    const preview = form.getByTestId("route-preview");
    await expect(preview).toHaveCount(0);
    await form.getByLabel("Title").fill("Speed up the report");
    await expect(preview).toHaveText("Routes to @lead: no capability matched: the lead answers");
    await form.getByLabel("Title").fill("Add sql migrations for the report");
    await expect(preview).toHaveText("Routes to @web: sql, migrations");
    await shot("new-task-route-preview");
    // An empty title routes nothing: the line goes away.
    await form.getByLabel("Title").fill("");
    await expect(preview).toHaveCount(0);
    await form.getByLabel("Title").fill("Add sql migrations for the report");
    await expect(preview).toHaveText("Routes to @web: sql, migrations");
    await form.getByRole("button", { name: "Create task" }).click();

    await expect(form).toHaveCount(0);
    await expect(boardColumn(page, "Assigned")).toContainText("Add sql migrations for the report");
    await expect(boardColumn(page, "Inbox").getByTestId("task-card")).toHaveCount(0);
    const stored = await admin.from("tasks").select("id, status, assignee_agent_key").eq("project_id", project.id).single();
    expect(stored.data).toMatchObject({ status: "assigned", assignee_agent_key: "web" });
    await shot("new-task-routed-board");

    await page.getByRole("link", { name: "Add sql migrations for the report" }).click();
    const details = page.getByRole("complementary", { name: "Task details" });
    await expect(details.getByRole("combobox", { name: "Assignee" })).toHaveValue("web");
    await expect(details.getByRole("button", { name: "Route to best match" })).toHaveCount(0);
    const reason = page.getByTestId("thread-item").filter({ hasText: "Routed to @web: sql, migrations" });
    await expect(reason).toContainText("System");
    await expect(reason).toContainText("routing");
    // Assigning it queued @web's implement run.
    await expect(page.getByTestId("task-run")).toHaveCount(1);
    await expect(page.getByTestId("task-run").first()).toContainText("implement · @web");
    await expect(page.getByTestId("task-run").first()).toHaveAttribute("data-status", "queued");
    await shot("task-routed-thread");
  });

  test("routes an unassigned task from its page", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "route-task-page" });
    await tagWebAgent(admin, project, ["css"]);
    const taskId = await insertTask(admin, project.id, { title: "Fix the css of the sidebar" });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);

    const details = page.getByRole("complementary", { name: "Task details" });
    await expect(details.getByRole("combobox", { name: "Assignee" })).toHaveValue("");
    await shot("task-route-button");
    await details.getByRole("button", { name: "Route to best match" }).click();
    await expect(details.getByRole("combobox", { name: "Assignee" })).toHaveValue("web");
    await expect(details.getByRole("button", { name: "Route to best match" })).toHaveCount(0);
    await expect(page.getByTestId("thread-item").filter({ hasText: "Routed to @web: css" })).toHaveCount(1);
    expect(await readTask(admin, taskId)).toMatchObject({ status: "assigned", assignee_agent_key: "web" });
  });
});
