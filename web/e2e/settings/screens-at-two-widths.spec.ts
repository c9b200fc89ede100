import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

// The screens this release adds or changes, at a desktop and a phone width, Live. Each must fit
// the width (nothing scrolls sideways except the boards and tables built to) and show its title.
const SCREENS = [
  { path: "knowledge", title: "Knowledge" },
  { path: "skills", title: "Skills" },
  { path: "schedule", title: "Schedule" },
  { path: "tasks", title: "Tasks" },
] as const;

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

test.describe("screens at 1440 and 390 px", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("Knowledge, Skills, Schedule and Tasks fit both widths", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "screens" });
    await signIn();
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      for (const screen of SCREENS) {
        await page.goto(`/p/${project.slug}/${screen.path}`);
        await expect(page.getByRole("heading", { name: screen.title, exact: true }).first()).toBeVisible();
        // The page itself never scrolls sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${screen.path} at ${size.width} px is wider than the window`).toBeLessThanOrEqual(0);
        await shot(`screen-${screen.path}-${size.width}`);
      }
    }
  });
});
