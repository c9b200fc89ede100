import type { Page } from "@playwright/test";
import { dmPane } from "../testing/chat-helpers.ts";
import { controlRealtime } from "../testing/control-realtime.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";

/** Waits until the channel is subscribed and the catch-ups of the first load (at once, then on SUBSCRIBED) are done. */
async function waitUntilLive(page: Page) {
  await expect(badge(page)).toHaveAttribute("data-realtime", "subscribed");
  await expect.poll(async () => Number(await badge(page).getAttribute("data-catch-ups"))).toBeGreaterThanOrEqual(2);
}

test.describe("realtime catch-up", () => {
  test("messages written while the websocket was down appear after it reconnects", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "ws-drop", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(admin, project.id, threadId, "lead", "Before the drop");
    const realtime = await controlRealtime(page);
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const lead = dmPane(page, "Lead");
    await expect(lead).toContainText("Before the drop");
    await expect.poll(() => realtime.connections()).toBeGreaterThan(0);
    await waitUntilLive(page);

    // Live first: a message arrives while connected.
    await insertAgentMessage(admin, project.id, threadId, "lead", "While connected");
    await expect(lead).toContainText("While connected");

    await realtime.drop();
    await expect(badge(page)).not.toHaveAttribute("data-realtime", "subscribed");
    await insertAgentMessage(admin, project.id, threadId, "lead", "Written while the socket was down");
    await page.waitForTimeout(1500);
    await expect(lead).not.toContainText("Written while the socket was down");

    realtime.restore();
    await expect(lead).toContainText("Written while the socket was down", { timeout: 30_000 });
    await expect(badge(page)).toHaveAttribute("data-realtime", "subscribed");
    await shot("dm-after-reconnect");
  });

  test("coming back to the tab catches up even while the websocket is still down", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "ws-visible", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(admin, project.id, threadId, "lead", "First");
    const realtime = await controlRealtime(page);
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const lead = dmPane(page, "Lead");
    await expect(lead).toContainText("First");
    await expect.poll(() => realtime.connections()).toBeGreaterThan(0);
    await waitUntilLive(page);

    await realtime.drop();
    await expect(badge(page)).not.toHaveAttribute("data-realtime", "subscribed");
    await insertAgentMessage(admin, project.id, threadId, "lead", "Missed while asleep");
    await page.waitForTimeout(1000);
    await expect(lead).not.toContainText("Missed while asleep");

    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(lead).toContainText("Missed while asleep");
  });
});
