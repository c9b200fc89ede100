import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

// The executor stays down (Backup): runs are written to the database and wait for it.

test.describe("runs from the dashboard", () => {
  // Earlier specs may have left the executor running (one worker shares it): these run in Backup.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("starts a run on the Runs page, lists it live, and cancels it", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "runs-start" });
    await signIn();
    await page.goto(`/p/${project.slug}/runs`);
    await expect(page.getByTestId("runs-empty")).toContainText("Runs start when you");

    await page.getByRole("button", { name: "Start a run" }).click();
    const form = page.getByRole("form", { name: "Start a run" });
    await form.getByRole("combobox", { name: "Agent" }).selectOption("web");
    await form.getByText("implement", { exact: true }).click();
    await expect(form).toContainText("proposes a changeset for your approval");
    await form.getByRole("textbox", { name: "Goal" }).fill("Add a CHANGELOG entry");
    await form.getByRole("button", { name: "Start implement run" }).click();
    await expect(form.getByRole("status")).toContainText("Queued");

    const row = page.getByTestId("run-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-status", "queued");
    await expect(row).toContainText("Add a CHANGELOG entry");
    const runId = (await row.getAttribute("data-run-id")) ?? "";
    const started = await admin.from("ai_runs").select("agent_key, mode, origin, status").eq("id", runId).single();
    expect(started.data).toMatchObject({ agent_key: "web", mode: "implement", origin: "runs_page", status: "queued" });

    await row.getByTestId("cancel-run").click();
    await expect(row).toHaveAttribute("data-status", "cancelled");
    const cancelled = await admin.from("ai_runs").select("status").eq("id", runId).single();
    expect(cancelled.data?.status).toBe("cancelled");

    await page.getByRole("button", { name: "Active", exact: true }).click();
    await expect(page.getByTestId("runs-empty")).toContainText("Nothing is running now");
  });

  test("offers the slash commands in a task thread and a /plan comment starts a run there", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "runs-slash" });
    const taskId = await insertTask(admin, project.id, { title: "Outline the release" });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const box = page.getByRole("textbox", { name: "Reply to the thread" });
    await box.fill("/");
    const list = page.getByRole("listbox", { name: "Slash commands" });
    await expect(list.getByRole("option")).toHaveCount(5);
    await box.press("ArrowDown");
    await expect(list.getByRole("option", { selected: true })).toContainText("/implement");
    await box.press("Escape");
    await expect(list).toHaveCount(0);

    await box.fill("/pl");
    await expect(list.getByRole("option")).toHaveCount(1);
    await box.press("Tab");
    await expect(box).toHaveValue("/plan ");
    await box.pressSequentially("@web outline the release steps");
    await box.press("Enter");

    await expect(page.getByTestId("task-run")).toHaveCount(1);
    await expect(page.getByTestId("task-run")).toContainText("plan · @web");
    // Backup: nobody works on it now, and the page says what it last knew.
    await expect(page.getByTestId("task-work")).toContainText("agent offline: last known state");
    const runs = await admin.from("ai_runs").select("mode, agent_key, origin").eq("task_id", taskId);
    expect(runs.data).toEqual([{ mode: "plan", agent_key: "web", origin: "command" }]);
  });
});
