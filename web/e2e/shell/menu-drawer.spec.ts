import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

// On a phone the sections live in a drawer behind the top bar's menu button; on a desk the sidebar
// stays where it was.

test.describe("the menu drawer", () => {
  test("opens from the menu button, keeps focus inside, and closes by Escape, backdrop, Close and navigation", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "drawer" });
    await signIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/p/${project.slug}/activity`);
    const menuButton = page.getByRole("button", { name: "Open the menu" });
    const drawer = page.getByRole("dialog", { name: "Menu" });
    const sections = page.getByRole("navigation", { name: "Sections" });
    // Closed: the page has the width; the top bar names the page and shows the badge.
    await expect(menuButton).toBeVisible();
    await expect(sections).toBeHidden();
    await expect(page.getByRole("banner")).toContainText("Activity");
    await expect(page.getByTestId("connection-badge")).toBeVisible();
    await expect(menuButton).toHaveAttribute("aria-expanded", "false");
    await shot("drawer-closed-390");

    // Open: focus starts on the page you are on, and Tab never leaves the drawer.
    await menuButton.click();
    await expect(drawer).toBeVisible();
    await expect(sections.getByRole("link", { name: "Activity" })).toBeFocused();
    await expect(sections.getByRole("link", { name: "Activity" })).toHaveAttribute("aria-current", "page");
    await expect(drawer.getByRole("group", { name: "Theme" })).toBeVisible();
    await expect(drawer.getByRole("button", { name: "Sign out" })).toBeVisible();
    await shot("drawer-open-390");
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      expect(await drawer.evaluate((el) => el.contains(document.activeElement)), `focus left the drawer after ${i + 1} Tab presses`).toBe(
        true,
      );
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await drawer.evaluate((el) => el.contains(document.activeElement)), "Shift+Tab left the drawer").toBe(true);
    }

    // Escape closes it, and focus is back on the menu button.
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(menuButton).toBeFocused();

    // The backdrop (the page to the right of the panel) closes it.
    await menuButton.click();
    await expect(drawer).toBeVisible();
    await page.mouse.click(375, 420);
    await expect(drawer).toBeHidden();

    // So does its Close button.
    await menuButton.click();
    await drawer.getByRole("button", { name: "Close the menu" }).click();
    await expect(drawer).toBeHidden();

    // Following a link goes there and closes it; the top bar names the new page.
    await menuButton.click();
    await sections.getByRole("link", { name: "Tasks" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/tasks$`));
    await expect(drawer).toBeHidden();
    await expect(page.getByRole("banner")).toContainText("Tasks");
    // Nothing of the page is left inert behind a closed drawer.
    await page.getByRole("button", { name: /^Search or jump to/ }).click();
    await expect(page.getByRole("dialog", { name: "Command palette" })).toBeVisible();
  });

  test("a desk keeps the sidebar and has no menu button", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "desk-sidebar" });
    await signIn();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/p/${project.slug}/tasks`);
    const sections = page.getByRole("navigation", { name: "Sections" });
    await expect(sections.getByRole("link", { name: "Tasks" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("button", { name: "Open the menu" })).toBeHidden();
    await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
    const sidebar = await sections.boundingBox();
    expect(sidebar?.width, "the sidebar keeps its width").toBeGreaterThanOrEqual(190);
    await shot("shell-1440");
  });
});
