import { dmPane } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";

test.describe("promote to task", () => {
  test("opens a dialog prefilled without the model's prefix, and creates the task as edited", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "promote-dialog", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(
      admin,
      project.id,
      threadId,
      "lead",
      "[offline model] Lead here. @web should tidy the sign-in page.\nIt wraps at 390 px.",
    );
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const message = dmPane(page, "Lead").locator('[data-testid="chat-message"]').filter({ hasText: "Lead here." });
    await message.hover();
    await message.getByRole("button", { name: "Promote to task" }).click();

    const dialog = page.getByRole("dialog", { name: "Promote to task" });
    await expect(dialog.getByLabel("Title")).toHaveValue("Lead here. @web should tidy the sign-in page.");
    await expect(dialog.getByLabel("Description")).toHaveValue(/^> \[offline model\] Lead here/);
    await expect(dialog.getByLabel("Assignee")).toHaveValue("web");
    await shot("promote-dialog-1360");
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(dialog.getByRole("button", { name: "Create task" })).toBeInViewport();
    await shot("promote-dialog-390");
    await page.setViewportSize({ width: 1440, height: 900 });

    // Cancel creates nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect((await admin.from("tasks").select("id").eq("project_id", project.id)).data).toEqual([]);

    await message.hover();
    await message.getByRole("button", { name: "Promote to task" }).click();
    await dialog.getByLabel("Title").fill("Tidy the sign-in page at 390 px");
    await dialog.getByLabel("Assignee").selectOption("");
    await dialog.getByRole("button", { name: "Create task" }).click();
    await expect(dialog).toBeHidden();
    await expect(message.getByTestId("promoted-task")).toContainText("Tidy the sign-in page at 390 px");

    const task = await admin.from("tasks").select("title, status, assignee_agent_key, description").eq("project_id", project.id).single();
    expect(task.data).toMatchObject({ title: "Tidy the sign-in page at 390 px", status: "inbox", assignee_agent_key: null });
    expect(task.data?.description).toContain("It wraps at 390 px.");
  });
});
