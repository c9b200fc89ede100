import { expect, test } from "../testing/fixtures.ts";
import { insertTask, readTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("hand-off from the task page", () => {
  // One Playwright worker shares the executor and earlier specs may have started it: this runs in
  // Backup, where the hand-off is written to the database and the new run waits for the executor.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("hands a task to another agent with a note: the assignee changes and a new run with a handoff event appears", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "hand-off" });
    const taskId = await insertTask(admin, project.id, { title: "Polish the settings page", assignee_agent_key: "lead" });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);

    const details = page.getByRole("complementary", { name: "Task details" });
    const runs = page.getByTestId("task-run");
    // Assigning the task queued the lead's run.
    await expect(runs).toHaveCount(1);
    await expect(runs.first()).toContainText("implement · @lead");

    await details.getByRole("button", { name: "Hand off…" }).click();
    const form = page.getByRole("form", { name: "Hand off the task" });
    await expect(form.getByRole("combobox", { name: "Hand off to" })).toHaveValue("web");
    const note = form.getByRole("textbox", { name: "Note for @web" });
    await expect(note).toBeFocused();
    // The note is required: the next agent needs to know where things stand.
    await form.getByRole("button", { name: "Hand off", exact: true }).click();
    await expect(form.getByRole("alert")).toHaveText("Write a note for @web: what is done, what is left, what to watch out for.");
    await note.fill("The layout is done; the form validation is left.");
    await shot("task-hand-off-form");
    await form.getByRole("button", { name: "Hand off", exact: true }).click();

    await expect(page.getByTestId("handoff-done")).toContainText("Handed to @web");
    await expect(details.getByRole("combobox", { name: "Assignee" })).toHaveValue("web");
    await expect(runs).toHaveCount(2);
    const handedOff = page.locator('[data-testid="task-run"][data-origin="handoff"]');
    await expect(handedOff).toContainText("implement · @web · from @lead");
    await expect(handedOff).toHaveAttribute("data-status", "queued");
    await expect(page.locator('[data-testid="task-run"][data-origin="assignment"]')).toHaveAttribute("data-status", "cancelled");
    // The thread says who handed what to whom.
    const line = page.getByTestId("thread-item").filter({ hasText: "Handed off from @lead to @web" });
    await expect(line).toContainText("The layout is done; the form validation is left.");
    await expect(line).toContainText("hand-off");
    await shot("task-handed-off");

    expect((await readTask(admin, taskId)).assignee_agent_key).toBe("web");
    const newRun = await admin
      .from("ai_runs")
      .select("id, agent_key, origin, status, constraints")
      .eq("task_id", taskId)
      .eq("origin", "handoff")
      .single();
    expect(newRun.data).toMatchObject({
      agent_key: "web",
      status: "queued",
      constraints: "Hand-off note from @lead: The layout is done; the form validation is left.",
    });

    // The new run's timeline shows the hand-off.
    await line.getByRole("link", { name: "Open the run" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${newRun.data?.id}$`));
    const event = page.locator('[data-testid="run-event"][data-kind="handoff"]');
    await expect(event).toContainText("Handed off from @lead to @web: The layout is done; the form validation is left.");
  });
});
