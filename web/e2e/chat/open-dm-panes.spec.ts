import { dmPane } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("DM panes", () => {
  test("opens up to three conversations side by side from the agent list, with the keyboard", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, {
      label: "dm-panes",
      labs: { dms: true },
      agents: [
        { agent_key: "lead", display_name: "Lead" },
        { agent_key: "backend", display_name: "Backend" },
        { agent_key: "research", display_name: "Research" },
        { agent_key: "web", display_name: "Web" },
      ],
    });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const agents = page.getByTestId("dm-agent");
    await expect(agents).toHaveText([/Lead/, /Backend/, /Research/, /Web/]);
    await expect(dmPane(page, "Lead")).toBeVisible();

    await agents.first().focus();
    await page.keyboard.press("ArrowDown");
    await expect(agents.nth(1)).toBeFocused();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Space");
    await expect(page.locator("[data-thread^='DM:']")).toHaveCount(3);
    await expect(agents.nth(2)).toHaveAttribute("aria-pressed", "true");

    // A fourth conversation replaces the oldest one.
    await page.keyboard.press("End");
    await expect(agents.nth(3)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("[data-thread^='DM:']")).toHaveCount(3);
    await expect(dmPane(page, "Lead")).toHaveCount(0);
    await expect(dmPane(page, "Web")).toBeVisible();

    await page.getByRole("button", { name: "Close the conversation with Backend" }).click();
    await expect(page.locator("[data-thread^='DM:']")).toHaveCount(2);
    await expect(agents.nth(1)).toHaveAttribute("aria-pressed", "false");
  });
});
