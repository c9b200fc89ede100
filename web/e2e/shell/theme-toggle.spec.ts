import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

// Dark first, following the system setting, with System / Dark / Light in the shell: remembered in
// the browser and on <html> before anything paints.

/** The theme as the page first had it: recorded when <body> is parsed, before any paint or React. */
async function recordFirstTheme(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __firstTheme?: string | null };
    const observer = new MutationObserver(() => {
      if (!document.body) return;
      w.__firstTheme = document.documentElement.getAttribute("data-theme");
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("the theme toggle", () => {
  test("System follows the OS; Dark and Light are remembered and applied before the first paint", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "theme" });
    await recordFirstTheme(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await signIn();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/p/${project.slug}/tasks`);
    const html = page.locator("html");
    const toggle = page.getByRole("banner").getByRole("group", { name: "Theme" });
    await expect(toggle.getByRole("radio", { name: "System" })).toBeChecked();
    await expect(html).toHaveAttribute("data-theme", "dark");
    const dark = await background(page);

    // System follows the OS setting, live.
    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).toHaveAttribute("data-theme", "light");
    const systemLight = await background(page);
    expect(systemLight).not.toBe(dark);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(html).toHaveAttribute("data-theme", "dark");

    // Light, chosen while the OS is dark: applied at once, and the same palette as the OS's light.
    await toggle.getByText("Light", { exact: true }).click();
    await expect(toggle.getByRole("radio", { name: "Light" })).toBeChecked();
    await expect(html).toHaveAttribute("data-theme", "light");
    expect(await background(page)).toBe(systemLight);
    await shot("theme-light-1440");

    // Remembered: a reload has it on <html> when the body is first parsed (no dark flash).
    await page.reload();
    await expect(toggle.getByRole("radio", { name: "Light" })).toBeChecked();
    expect(await page.evaluate(() => (window as unknown as { __firstTheme?: string }).__firstTheme)).toBe("light");
    // The server's HTML carries the script that does it, ahead of the stylesheet's first use.
    const served = await (await page.request.get(`/p/${project.slug}/tasks`)).text();
    expect(served).toMatch(/<head>.*<script>.*mc-theme/s);

    // Dark, chosen while the OS is light: stays dark, on the sign-in page too.
    await page.emulateMedia({ colorScheme: "light" });
    await toggle.getByText("Dark", { exact: true }).click();
    await expect(html).toHaveAttribute("data-theme", "dark");
    await page.goto("/sign-in");
    expect(await page.evaluate(() => (window as unknown as { __firstTheme?: string }).__firstTheme)).toBe("dark");

    // Back to System: the OS (light now) decides again, and nothing is stored.
    await page.goto(`/p/${project.slug}/tasks`);
    await toggle.getByText("System", { exact: true }).click();
    await expect(html).toHaveAttribute("data-theme", "light");
    expect(await page.evaluate(() => window.localStorage.getItem("mc-theme"))).toBeNull();
  });

  test("the forced themes pass axe, with the drawer and the palette open too", async ({ page, admin, signIn, shot }) => {
    test.setTimeout(120_000);
    const project = await createTestProject(admin, { label: "theme-axe", labs: { dms: true } });
    await signIn();
    const failures: string[] = [];
    // Each forced theme against the opposite OS setting: the toggle, not the OS, decides.
    for (const [os, forced] of [
      ["light", "dark"],
      ["dark", "light"],
    ] as const) {
      await page.emulateMedia({ colorScheme: os });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`/p/${project.slug}/overview`);
      await page
        .getByRole("banner")
        .getByRole("group", { name: "Theme" })
        .getByText(forced === "dark" ? "Dark" : "Light", { exact: true })
        .click();
      await expect(page.locator("html")).toHaveAttribute("data-theme", forced);
      for (const at of ["overview", "tasks", "dms"]) {
        await page.goto(`/p/${project.slug}/${at}`);
        await expect(page.locator("#content").getByRole("heading").first()).toBeVisible();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        failures.push(...(await seriousViolations(page)).map((v) => `${at} (${forced} over ${os}): ${v}`));
      }
      await page.keyboard.press("Control+k");
      await expect(page.getByRole("dialog", { name: "Command palette" })).toBeVisible();
      failures.push(...(await seriousViolations(page)).map((v) => `palette (${forced}): ${v}`));
      await shot(`palette-${forced}-1440`);
      await page.keyboard.press("Escape");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("button", { name: "Open the menu" }).click();
      await expect(page.getByRole("dialog", { name: "Menu" })).toBeVisible();
      failures.push(...(await seriousViolations(page)).map((v) => `drawer (${forced}): ${v}`));
      await shot(`drawer-open-${forced}-390`);
      await page.keyboard.press("Escape");
      await shot(`dms-${forced}-390`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
