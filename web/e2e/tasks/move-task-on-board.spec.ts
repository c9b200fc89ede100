import { expect, test } from "../testing/fixtures.ts";
import { boardCard, boardColumn, insertTask, readTask } from "../testing/task-helpers.ts";
import { createTestProject, OPERATOR } from "../testing/test-data.ts";

test.describe("kanban board", () => {
  test("drags a card to another column with the mouse and the move persists", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "board-drag" });
    const first = await insertTask(admin, project.id, { title: "Write the release notes", position: 1 });
    await insertTask(admin, project.id, { title: "Check the backups", position: 2 });
    await insertTask(admin, project.id, {
      title: "Polish the sign-in page",
      status: "in_progress",
      assignee_agent_key: "web",
      position: 1,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks`);

    const card = boardCard(page, "Write the release notes");
    await expect(boardColumn(page, "Inbox").getByTestId("task-card")).toHaveCount(2);
    await card.dragTo(boardColumn(page, "Review"));
    await expect(boardColumn(page, "Review")).toContainText("Write the release notes");
    await expect.poll(async () => (await readTask(admin, first)).status).toBe("review");
    await shot("tasks-board");

    await page.reload();
    await expect(boardColumn(page, "Review")).toContainText("Write the release notes");
    await expect(boardColumn(page, "Inbox").getByTestId("task-card")).toHaveCount(1);
    const events = await admin.from("task_events").select("kind, metadata").eq("task_id", first);
    expect(events.data).toEqual([expect.objectContaining({ kind: "status_change", metadata: { from: "inbox", to: "review" } })]);
  });

  test("moves the focused card with Shift+arrow keys, and shows the database's refusal for an illegal move", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "board-keys" });
    // Assigning a task to an enabled agent starts its run, which moves the card itself; this test moves it by hand.
    const paused = await admin.from("agents").update({ enabled: false }).eq("project_id", project.id).eq("agent_key", "web");
    expect(paused.error).toBeNull();
    const assigned = await insertTask(admin, project.id, { title: "Ship the table view", assignee_agent_key: "web", position: 1 });
    const loose = await insertTask(admin, project.id, { title: "Nobody owns this", position: 2 });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks`);

    const card = boardCard(page, "Ship the table view");
    await card.focus();
    await page.keyboard.press("Shift+ArrowRight");
    await expect(boardColumn(page, "Assigned")).toContainText("Ship the table view");
    await expect(boardCard(page, "Ship the table view")).toBeFocused();
    await page.keyboard.press("Shift+ArrowRight");
    await expect(boardColumn(page, "In progress")).toContainText("Ship the table view");
    await expect.poll(async () => (await readTask(admin, assigned)).status).toBe("in_progress");

    // Plain arrows move focus; Shift+ArrowRight on an unassigned card is refused by the database.
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect(boardCard(page, "Nobody owns this")).toBeFocused();
    await page.keyboard.press("Shift+ArrowRight");
    await expect(page.getByTestId("move-error")).toContainText("tasks_work_needs_an_assignee");
    await expect(boardColumn(page, "Inbox")).toContainText("Nobody owns this");
    expect((await readTask(admin, loose)).status).toBe("inbox");
    await shot("tasks-board-refused-move");

    // The card's Move menu works from the keyboard too.
    await boardCard(page, "Nobody owns this").getByRole("button", { name: /Move/ }).click();
    await page.getByRole("menuitem", { name: "Blocked" }).click();
    await expect(boardColumn(page, "Blocked")).toContainText("Nobody owns this");
    await expect.poll(async () => (await readTask(admin, loose)).status).toBe("blocked");
  });

  test("creates a task from the form and shows it live in the table, sortable and filterable", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "board-table" });
    await insertTask(admin, project.id, { title: "Alpha task" });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks`);

    await page.getByRole("button", { name: "New task" }).click();
    const form = page.getByRole("form", { name: "New task" });
    await form.getByLabel("Title").fill("Bravo task from the form");
    // The default assignee is the best match (routed); this task stays in the inbox.
    await form.getByLabel("Assignee").selectOption({ label: "Nobody yet" });
    await form.getByLabel("Priority").selectOption("high");
    await form.getByLabel("Labels (comma-separated)").fill("ui, e2e");
    await form.getByRole("button", { name: "Create task" }).click();
    await expect(boardColumn(page, "Inbox")).toContainText("Bravo task from the form");
    const stored = await admin.from("tasks").select("priority, labels, created_by").eq("title", "Bravo task from the form").single();
    expect(stored.data).toEqual({ priority: "high", labels: ["ui", "e2e"], created_by: OPERATOR.userId });

    await page.getByRole("button", { name: "Table" }).click();
    const rows = page.getByTestId("task-row");
    await expect(rows).toHaveCount(2);
    await page.getByRole("button", { name: /^Title/ }).click();
    await expect(rows.first()).toContainText("Alpha task");
    await page.getByRole("button", { name: /^Title/ }).click();
    await expect(rows.first()).toContainText("Bravo task");

    // Live: a task written elsewhere appears without a reload.
    await insertTask(admin, project.id, { title: "Charlie from an agent run", status: "review" });
    await expect(rows).toHaveCount(3);
    await page.getByLabel("Filter by status").selectOption("review");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Charlie");
    await page.locator("summary", { hasText: "Columns" }).click();
    await page.getByRole("checkbox", { name: "Priority" }).uncheck();
    await expect(page.getByRole("columnheader", { name: /Priority/ })).toHaveCount(0);
    await shot("tasks-table");
  });
});
