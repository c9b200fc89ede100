import { agentReplies, dmPane, operatorMessage, sendFrom } from "../testing/chat-helpers.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("Backup mode", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("queues a DM while the executor is stopped and the reply arrives once it is back", async ({
    page,
    admin,
    signIn,
    executor,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "backup", labs: { dms: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
    await expect(badge(page)).toContainText(/checked \d/);

    await executor.stop();
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup");
    await expect(badge(page)).toContainText("last live");

    const lead = dmPane(page, "Lead");
    await sendFrom(lead, "Are you there?");
    const sent = operatorMessage(lead, "Are you there?");
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-status", "queued");
    await expect(sent).toContainText("Queued");
    await expect(sent).toContainText("the agent will answer when the executor is back");
    await expect(lead.getByTestId("queued-notice")).toHaveText("Queued — the agent will answer when the executor is back");
    await shot("dm-queued-backup");

    await executor.start();
    await expect(agentReplies(lead).first()).toContainText("[offline model]", { timeout: 20_000 });
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-status", "processed");
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
  });

  test("a failing Control API call flips the badge to Backup and never loses the message", async ({ page, admin, signIn, executor }) => {
    const project = await createTestProject(admin, { label: "flip", labs: { dms: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    // The badge still says Live: the send tries the Control API, which is gone.
    await executor.stop();
    const lead = dmPane(page, "Lead");
    await sendFrom(lead, "Saved even without the executor");
    await expect(lead.getByTestId("queued-notice")).toBeVisible();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup");

    const stored = await admin
      .from("project_chat_messages")
      .select("id, status")
      .eq("project_id", project.id)
      .eq("content", "Saved even without the executor");
    expect(stored.data).toHaveLength(1);
    const delivery = await admin
      .from("chat_delivery_queue")
      .select("status")
      .eq("message_id", stored.data?.[0]?.id ?? "");
    expect(delivery.data?.map((d) => d.status)).toEqual(["queued"]);

    await executor.start();
    await expect(agentReplies(lead).first()).toBeVisible({ timeout: 20_000 });
  });
});
