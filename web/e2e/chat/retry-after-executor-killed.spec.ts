import type { TAdminClient } from "../testing/admin-client.ts";
import { agentReplies, dmPane, operatorMessage, sendFrom, waitForDelivery } from "../testing/chat-helpers.ts";
import { expect, test, WATCHDOG_STUCK_AFTER_MS } from "../testing/fixtures.ts";
import { createTestProject, type TTestProject } from "../testing/test-data.ts";

/** Points @lead at a provider that never answers (hangs = true) or at the built-in model. */
async function leadHangs(admin: TAdminClient, project: TTestProject, hangs: boolean) {
  const { error } = await admin
    .from("agents")
    .update(hangs ? { provider: "openai_compatible", model: "hangs-forever" } : { provider: "builtin", model: "builtin-offline" })
    .eq("id", project.agents.lead ?? "");
  expect(error).toBeNull();
}

test.describe("watchdog and retry", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("a delivery cut off by SIGKILL is queued again by the executor that takes over, and answered once without Retry", async ({
    page,
    admin,
    signIn,
    executor,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "kill", labs: { dms: true } });
    // Lead talks to a provider that never answers, so the delivery is mid-flight when the executor dies.
    await leadHangs(admin, project, true);
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);

    const lead = dmPane(page, "Lead");
    await sendFrom(lead, "This one will be cut off");
    const sent = operatorMessage(lead, "This one will be cut off");
    await waitForDelivery(admin, project.id, "This one will be cut off", ["delivered"]);
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-status", "delivered");

    await executor.kill();
    await leadHangs(admin, project, false);
    // The new executor takes the killed one's Control API address: that one is dead, its claim goes back to the queue.
    await executor.start();

    const state = sent.getByTestId("delivery-state");
    await expect(agentReplies(lead).first()).toContainText("[offline model]", { timeout: 20_000 });
    await expect(state).toHaveAttribute("data-status", "processed");
    const delivery = await waitForDelivery(admin, project.id, "This one will be cut off", ["processed"]);
    expect(delivery.attempts).toBe(2);
    const replies = await admin.from("project_chat_messages").select("id").eq("reply_to", delivery.message_id);
    expect(replies.data).toHaveLength(1);
    await shot("dm-answered-after-kill");

    await page.getByRole("link", { name: "Activity" }).click();
    const feed = page.getByRole("list", { name: "Project activity" });
    await expect(feed).toContainText("lead replied in a DM");
    await expect(feed).not.toContainText("Delivery to lead failed");
  });

  test("a delivery stuck behind a provider that never answers is failed by the watchdog, and Retry gets the reply", async ({
    page,
    admin,
    signIn,
    executor,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "stuck", labs: { dms: true } });
    await leadHangs(admin, project, true);
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);

    const lead = dmPane(page, "Lead");
    await sendFrom(lead, "This one will hang");
    const sent = operatorMessage(lead, "This one will hang");
    const state = sent.getByTestId("delivery-state");
    // The executor is alive, so its claim is not taken back: the stuck timer fails it.
    await expect(state).toHaveAttribute("data-status", "failed", { timeout: WATCHDOG_STUCK_AFTER_MS + 15_000 });
    await expect(state).toContainText("Failed");
    await expect(state).toContainText("the executor may have died mid-delivery");
    await expect(agentReplies(lead)).toHaveCount(0);
    await shot("dm-failed-retry");

    // The hung call still holds its slot in that executor (it ends with the provider's timeout):
    // a fresh executor takes the retry. A double click makes one new attempt, not two.
    await leadHangs(admin, project, false);
    await executor.kill();
    await executor.start();
    await state.getByRole("button", { name: "Retry" }).dblclick();
    await expect(agentReplies(lead).first()).toContainText("[offline model]", { timeout: 20_000 });
    await expect(state).toHaveAttribute("data-status", "processed");

    const delivery = await waitForDelivery(admin, project.id, "This one will hang", ["processed"]);
    expect(delivery.attempts).toBe(1);
    const replies = await admin.from("project_chat_messages").select("id").eq("reply_to", delivery.message_id);
    expect(replies.data).toHaveLength(1);

    // The feed tells the same story: the watchdog's failure, then the reply.
    await page.getByRole("link", { name: "Activity" }).click();
    const feed = page.getByRole("list", { name: "Project activity" });
    await expect(feed).toContainText("Delivery to lead failed: Stuck after pickup");
    await expect(feed).toContainText("lead replied in a DM");
    await shot("activity-feed");
  });
});
