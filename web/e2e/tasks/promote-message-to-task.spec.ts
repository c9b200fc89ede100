import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, insertAgentMessage } from "../testing/test-data.ts";

test.describe("promote to task", () => {
  test("an operator turns a Team Room message into an inbox task", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "promote", labs: { team_room: true } });
    const room = await admin
      .from("project_chat_threads")
      .upsert(
        { project_id: project.id, kind: "team_room", thread_key: "team-room", title: "Team Room" },
        { onConflict: "project_id,thread_key" },
      )
      .select("id")
      .single();
    if (room.error) throw new Error(room.error.message);
    await insertAgentMessage(
      admin,
      project.id,
      room.data.id,
      "lead",
      "We should add rate limits to the Control API.\nIt is open to bursts.",
    );
    await signIn();
    await page.goto(`/p/${project.slug}/team-room`);
    const message = page.locator('[data-testid="chat-message"][data-author="agent"]').filter({ hasText: "rate limits" });
    await message.hover();
    await message.getByRole("button", { name: "Promote to task" }).click();
    await page.getByRole("dialog", { name: "Promote to task" }).getByRole("button", { name: "Create task" }).click();
    await expect(message.getByTestId("promoted-task")).toContainText("We should add rate limits to the Control API.");
    await shot("team-room-promoted");

    const task = await admin.from("tasks").select("title, status, description").eq("project_id", project.id).single();
    expect(task.data?.title).toBe("We should add rate limits to the Control API.");
    expect(task.data?.status).toBe("inbox");
    expect(task.data?.description).toContain("> It is open to bursts.");
    await message.getByRole("link").click();
    await expect(page.getByRole("heading", { name: "We should add rate limits to the Control API." })).toBeVisible();
  });
});
