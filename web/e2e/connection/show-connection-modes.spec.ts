import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("connection badge", () => {
  test("turns Offline when Supabase cannot be reached and recovers when it can", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "offline" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    await expect(badge(page)).toHaveAttribute("data-mode", /live|backup/);

    await page.route("**/auth/v1/health", (route) => route.abort("connectionrefused"));
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "offline");
    await expect(badge(page)).toContainText(/Offline\s*last reachable \d/);
    await expect(badge(page)).toHaveAccessibleName(/Supabase is unreachable/);
    await shot("badge-offline");

    await page.unroute("**/auth/v1/health");
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", /live|backup/);
  });

  test("shows Live with the time of the last check while the executor is healthy", async ({ page, admin, signIn, executor }) => {
    await executor.start();
    const project = await createTestProject(admin, { label: "live" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
    await expect(badge(page)).toContainText(/Live\s*checked \d{1,2}:\d{2}/);
    await expect(badge(page)).toHaveAccessibleName(/Executor healthy/);
  });
});
