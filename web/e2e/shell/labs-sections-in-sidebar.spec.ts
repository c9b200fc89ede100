import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("labs sections in the sidebar", () => {
  test("Team Room and DMs show only while their flag is on, following changes live", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "labs-sidebar" });
    await signIn();
    await page.goto(`/p/${project.slug}/activity`);
    const sections = page.getByRole("navigation", { name: "Sections" });
    await expect(sections.getByRole("link", { name: "Activity" })).toBeVisible();
    await expect(sections.getByRole("link", { name: "Settings" })).toBeVisible();
    await expect(sections.getByRole("link", { name: "Team Room" })).toHaveCount(0);
    await expect(sections.getByRole("link", { name: "DMs" })).toHaveCount(0);
    await shot("sidebar-labs-off");

    const setFlags = async (value: { team_room: boolean; dms: boolean }) => {
      const { error } = await admin.from("project_settings").update({ value }).eq("project_id", project.id).eq("key", "labs_features");
      expect(error).toBeNull();
    };
    await setFlags({ team_room: false, dms: true });
    await expect(sections.getByRole("link", { name: "DMs" })).toBeVisible();
    await expect(sections.getByRole("link", { name: "Team Room" })).toHaveCount(0);

    await setFlags({ team_room: true, dms: true });
    await expect(sections.getByRole("link", { name: "Team Room" })).toBeVisible();
    await expect(sections.getByRole("link", { name: "DMs" })).toBeVisible();
    await shot("sidebar-labs-on");

    await setFlags({ team_room: false, dms: false });
    await expect(sections.getByRole("link", { name: "Team Room" })).toHaveCount(0);
    await expect(sections.getByRole("link", { name: "DMs" })).toHaveCount(0);
    // The page itself still opens by its address and says how to turn it on.
    await page.goto(`/p/${project.slug}/dms`);
    await expect(page.getByText("Direct messages is a labs feature and is off in this project")).toBeVisible();
  });
});
