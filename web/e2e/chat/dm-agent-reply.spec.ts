import { agentReplies, dmPane, operatorMessage, sendFrom } from "../testing/chat-helpers.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("DMs", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("sends a DM and shows the agent's reply live, with its model and token usage", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "dm-reply", labs: { dms: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    const lead = dmPane(page, "Lead");
    await sendFrom(lead, "What is the plan for today?");
    const sent = operatorMessage(lead, "What is the plan for today?");
    await expect(sent).toBeVisible();
    await expect(lead.getByRole("textbox")).toHaveValue("");

    const reply = agentReplies(lead).first();
    await expect(reply).toContainText("[offline model]");
    await expect(reply.getByTestId("reply-meta")).toContainText("builtin-offline");
    await expect(reply.getByTestId("reply-meta")).toContainText(/\d+ in \/ \d+ out tokens/);
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-status", "processed");
    await expect(sent.getByTestId("delivery-state")).toContainText("Delivered");

    // A second agent opens beside the first; both conversations stay on screen.
    await page.getByRole("button", { name: /Web/ }).click();
    const web = dmPane(page, "Web");
    await expect(web).toBeVisible();
    await expect(lead).toBeVisible();
    await sendFrom(web, "Can you check the sign-in page?");
    await expect(agentReplies(web).first()).toContainText("[offline model]");
    await shot("dms-side-by-side");

    const thread = await admin.from("project_chat_threads").select("thread_key").eq("project_id", project.id).order("thread_key");
    expect(thread.data?.map((t) => t.thread_key)).toEqual(["DM:lead", "DM:web"]);
  });

  test("Shift+Enter adds a line and Enter sends both lines as one message", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "dm-lines", labs: { dms: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const box = dmPane(page, "Lead").getByRole("textbox");
    await box.fill("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    await expect(box).toHaveValue("first line\nsecond line");
    await box.press("Enter");
    await expect(operatorMessage(dmPane(page, "Lead"), "second line")).toContainText("first line");
    const stored = await admin.from("project_chat_messages").select("content").eq("project_id", project.id).eq("author_type", "user");
    expect(stored.data?.map((m) => m.content)).toEqual(["first line\nsecond line"]);
  });

  test("mentions an agent in the Team Room with the keyboard and gets its reply", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "team-room", labs: { team_room: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/team-room`);
    const room = page.getByRole("region", { name: "Team Room" });
    const box = room.getByRole("textbox");
    await box.pressSequentially("@w");
    await expect(page.getByRole("option", { name: /@web/ })).toBeVisible();
    await box.press("Enter");
    await expect(box).toHaveValue("@web ");
    await box.pressSequentially("please review the composer");
    await box.press("Enter");

    const sent = operatorMessage(room, "please review the composer");
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-agent", "web");
    await expect(room.locator('[data-testid="chat-message"][data-author="agent"]').first()).toContainText("[offline model]");
    await expect(room.locator('[data-author="agent"] [data-agent="web"]').first()).toBeVisible();
    await shot("team-room");
  });
});
