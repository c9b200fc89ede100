import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";

// DMs on a phone: the agent list and a conversation are two panes; an agent opens its conversation,
// Back (or a swipe to the right) returns to the list, a swipe to the left goes forward again.

test.describe("DMs on a phone", () => {
  test("the list and a conversation are panes you move between", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "dm-panes", labs: { dms: true } });
    const dm = await ensureDmThread(admin, project.id, "web");
    await insertAgentMessage(admin, project.id, dm, "web", "The table is virtualised now.");
    await signIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/p/${project.slug}/dms`);
    const list = page.getByRole("navigation", { name: "Agents to message" });
    const web = page.locator('[data-testid="dm-agent"][data-agent="web"]');
    const back = page.getByRole("button", { name: "Agents, back to the list" });
    const message = page.getByText("The table is virtualised now.");
    // Opened on a phone: the list first, full width.
    await expect(web).toBeVisible();
    await expect(back).toBeHidden();
    await shot("dms-list-390");

    await web.click();
    await expect(message).toBeVisible();
    await expect(list).toBeHidden();
    await expect(back).toBeFocused();
    await expect(page.getByRole("textbox", { name: /Message Web/ }).or(page.getByPlaceholder("Message Web"))).toBeVisible();
    await shot("dms-conversation-390");

    await back.click();
    await expect(list).toBeVisible();
    await expect(message).toBeHidden();
    await expect(web).toBeFocused();

    // Swipes (touch pointer events): left goes to the conversation, right comes back.
    const swipe = async (fromX: number, toX: number) => {
      const layout = page.getByTestId("dms-layout");
      await layout.dispatchEvent("pointerdown", { pointerType: "touch", clientX: fromX, clientY: 400, isPrimary: true });
      await layout.dispatchEvent("pointerup", { pointerType: "touch", clientX: toX, clientY: 410, isPrimary: true });
    };
    await swipe(320, 80);
    await expect(message).toBeVisible();
    await swipe(60, 330);
    await expect(list).toBeVisible();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
