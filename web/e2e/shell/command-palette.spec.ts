import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

// Ctrl/⌘-K: jump to any page, agent, thread or task, or run a common action, from the keyboard or
// from the top bar's button, on a desk and on a phone.

test.describe("the command palette", () => {
  test("Ctrl-K finds a task, Enter opens it; actions run; Escape closes", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "palette", labs: { dms: true } });
    const taskId = await insertTask(admin, project.id, { title: "Rotate the signing keys", status: "inbox" });
    await signIn();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/p/${project.slug}/activity`);
    await expect(page.getByRole("heading", { name: "Activity", exact: true })).toBeVisible();

    const palette = page.getByRole("dialog", { name: "Command palette" });
    const input = palette.getByRole("combobox");
    await page.keyboard.press("Control+k");
    await expect(palette).toBeVisible();
    await expect(input).toBeFocused();
    await expect(palette.getByRole("listbox")).toBeVisible();
    // Typed words narrow the list to the task, which Enter opens.
    await input.fill("signing keys");
    await expect(palette.getByRole("option", { name: /Rotate the signing keys/ })).toBeVisible();
    await expect(palette.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
    await shot("palette-task-1440");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/tasks/${taskId}$`));
    await expect(palette).toBeHidden();
    await expect(page.getByRole("heading", { name: "Rotate the signing keys" })).toBeVisible();

    // An action: "New task" opens the Tasks page with its form open.
    await page.keyboard.press("Control+k");
    await input.fill("new task");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/tasks$`));
    await expect(page.getByRole("form", { name: "New task" })).toBeVisible();

    // The theme action switches at once.
    const before = await page.locator("html").getAttribute("data-theme");
    await page.keyboard.press("Control+k");
    await input.fill("theme");
    await palette.getByRole("option", { name: /Switch to the (light|dark) theme/ }).click();
    await expect(page.locator("html")).not.toHaveAttribute("data-theme", before ?? "dark");

    // An agent's DM, through the arrows.
    await page.keyboard.press("Control+k");
    await input.fill("dm with web");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/dms\\?agent=web$`));
    await expect(page.getByTestId("dm-agent").and(page.locator('[data-agent="web"]'))).toHaveAttribute("aria-pressed", "true");

    // Escape closes it, and focus goes back where it was.
    const trigger = page.getByRole("button", { name: /^Search or jump to/ });
    await trigger.click();
    await expect(palette).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(palette).toBeHidden();
    await expect(trigger).toBeFocused();
    // A search that finds nothing says so.
    await page.keyboard.press("Control+k");
    await input.fill("zzqx nothing like this");
    await expect(palette).toContainText("Nothing matches");
  });

  test("a phone opens it from the top bar and jumps to an agent", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "palette-phone" });
    await signIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/p/${project.slug}/tasks`);
    await page.getByRole("button", { name: /^Search or jump to/ }).click();
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await expect(palette).toBeVisible();
    const box = await palette.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, "the palette fits the phone's width").toBe(true);
    await shot("palette-open-390");
    await palette.getByRole("combobox").fill("web");
    await palette.getByRole("option", { name: /^Web/ }).first().click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/agents/web$`));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
