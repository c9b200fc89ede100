import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import type { TAdminClient } from "../testing/admin-client.ts";
import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

// The real executor works these runs with the built-in offline model: no key, no network.

/** The id of the task's run in `mode`, once there is one. */
async function runOf(admin: TAdminClient, taskId: string, mode: string): Promise<string> {
  let id = "";
  await expect
    .poll(
      async () => {
        const found = await admin.from("ai_runs").select("id").eq("task_id", taskId).eq("mode", mode).maybeSingle();
        id = found.data?.id ?? "";
        return id;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  return id;
}

/** The file row of a changeset review. */
function fileRow(page: Page, filePath: string) {
  return page.locator(`[data-testid="changeset-file"][data-path="${filePath}"]`);
}

test.describe("an agent works its task", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("assigning a task starts a run: Agent HQ and the thread follow it, two of three files are approved and written, the tests pass, a rollback restores", async ({
    page,
    admin,
    signIn,
    shot,
    workspaceDir,
  }) => {
    const project = await createTestProject(admin, { label: "runs-work" });
    // Each test gets its own folder of the worker's workspace.
    const dir = project.slug;
    const abs = (name: string) => path.join(workspaceDir, dir, name);
    fs.mkdirSync(path.join(workspaceDir, dir), { recursive: true });
    fs.writeFileSync(abs("b.md"), "# B\n\nWritten by hand.\n");
    fs.writeFileSync(abs("check.mjs"), `import fs from "node:fs";\nprocess.exit(fs.existsSync("${dir}/a.md") ? 0 : 1);\n`);
    const settings = await admin
      .from("project_settings")
      .insert({ project_id: project.id, key: "runs", value: { test_command: `node ${dir}/check.mjs` } });
    expect(settings.error).toBeNull();
    const taskId = await insertTask(admin, project.id, { title: `Create ${dir}/a.md, ${dir}/b.md and ${dir}/c.md` });

    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    await page.getByRole("combobox", { name: "Assignee" }).selectOption("web");

    // The run shows in Agent HQ and waits for the review of the changeset it proposed.
    const implementId = await runOf(admin, taskId, "implement");
    await page.goto(`/p/${project.slug}/runs`);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${implementId}"]`);
    await expect(row).toHaveAttribute("data-status", "needs_approval", { timeout: 20_000 });
    await expect(row).toContainText("@web");
    await shot("runs-agent-hq");

    // Its updates are in the task thread, with the changeset's card and its real diffs.
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const thread = page.getByTestId("task-thread");
    await expect(thread).toContainText("Started implementing");
    await expect(thread).toContainText("Proposed a changeset for review");
    const review = thread.getByTestId("changeset-review");
    await expect(review.getByTestId("changeset-file")).toHaveCount(3);
    await expect(fileRow(page, `${dir}/b.md`).getByTestId("changeset-diff")).toContainText("Written by hand.");
    await expect(fileRow(page, `${dir}/b.md`).getByTestId("changeset-diff")).toContainText("From the goal");

    await fileRow(page, `${dir}/c.md`)
      .getByRole("checkbox", { name: `Approve ${dir}/c.md` })
      .uncheck();
    await review.getByRole("button", { name: "Approve 2 of 3 files" }).click();

    // The two accepted files are on disk, the rejected one is not, and the card says so.
    await expect(review).toHaveAttribute("data-status", "applied", { timeout: 15_000 });
    expect(fs.existsSync(abs("a.md"))).toBe(true);
    expect(fs.readFileSync(abs("b.md"), "utf8")).toContain("From the goal");
    expect(fs.existsSync(abs("c.md"))).toBe(false);
    await expect(fileRow(page, `${dir}/c.md`)).toHaveAttribute("data-decision", "rejected");

    // The apply queued a test run; the configured command passes now that a.md exists.
    const testId = await runOf(admin, taskId, "test");
    await page.goto(`/p/${project.slug}/runs`);
    const testRow = page.locator(`[data-testid="run-row"][data-run-id="${testId}"]`);
    await expect(testRow).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
    await testRow.getByRole("link").first().click();
    await expect(page.getByTestId("run-timeline")).toContainText("Tests passed");
    const task = await admin.from("tasks").select("status").eq("id", taskId).single();
    expect(task.data?.status).toBe("review");

    // One click (and a confirmation) rolls the changeset back: the new file goes, the edited one gets its bytes back.
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    await page.getByTestId("task-thread").getByTestId("changeset-review").getByTestId("rollback").click();
    await page.getByTestId("confirm-rollback").click();
    // The rollback restores its files one by one and marks the changeset rolled back after the last one.
    await expect(page.getByTestId("task-thread").getByTestId("changeset-review")).toHaveAttribute("data-status", "rolled_back", {
      timeout: 15_000,
    });
    expect(fs.existsSync(abs("a.md"))).toBe(false);
    expect(fs.readFileSync(abs("b.md"), "utf8")).toBe("# B\n\nWritten by hand.\n");
    await shot("task-thread-rolled-back");
  });

  test("/cancel in the task thread stops the agent's running run", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "runs-cancel" });
    // @web calls the executor's OpenAI-compatible provider, which never answers: its run stays running.
    const slow = await admin
      .from("agents")
      .update({ provider: "openai_compatible", model: "hanging-model" })
      .eq("project_id", project.id)
      .eq("agent_key", "web");
    expect(slow.error).toBeNull();
    const taskId = await insertTask(admin, project.id, { title: "Rewrite the guide" });

    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const composer = page.getByRole("textbox", { name: "Reply to the thread" });
    await composer.fill("/implement @web rewrite the guide");
    await composer.press("Enter");
    await expect(page.getByTestId("task-work")).toContainText("@web is working on this now", { timeout: 20_000 });

    await composer.fill("/cancel @web");
    await composer.press("Enter");
    await expect(page.getByTestId("task-runs").getByTestId("task-run").first()).toHaveAttribute("data-status", "cancelled");
    // No run is active any more: the "working on this now" line is gone.
    await expect(page.getByTestId("task-work")).toHaveCount(0);
    const runs = await admin.from("ai_runs").select("status, cancelled_by").eq("task_id", taskId);
    expect(runs.data).toEqual([expect.objectContaining({ status: "cancelled" })]);
  });
});
