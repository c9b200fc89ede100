import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, createUser } from "../testing/test-data.ts";

test.describe("labs flags", () => {
  test("turns on DMs and the Team Room from Settings → Labs, and the pages open", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "labs" });
    await signIn();

    await page.goto(`/p/${project.slug}/dms`);
    await expect(page.getByText("Direct messages is a labs feature and is off in this project")).toBeVisible();
    await page.getByRole("link", { name: "Settings → Labs" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/settings`));

    const dms = page.getByRole("switch", { name: "Direct messages" });
    const teamRoom = page.getByRole("switch", { name: "Team Room" });
    await expect(dms).toHaveAttribute("aria-checked", "false");
    await dms.click();
    await expect(dms).toHaveAttribute("aria-checked", "true");
    await teamRoom.focus();
    await page.keyboard.press("Space");
    await expect(teamRoom).toHaveAttribute("aria-checked", "true");
    await shot("settings-labs");

    const stored = await admin.from("project_settings").select("value").eq("project_id", project.id).eq("key", "labs_features").single();
    expect(stored.data?.value).toEqual({ team_room: true, dms: true });

    await page.getByRole("link", { name: "DMs" }).click();
    await expect(page.getByRole("heading", { name: "Direct messages" })).toBeVisible();
    await expect(page.getByTestId("dm-agent")).toHaveCount(2);
    await page.getByRole("link", { name: "Team Room" }).click();
    await expect(page.getByRole("textbox", { name: /Message the team/ })).toBeVisible();
  });

  test("a flag turned off elsewhere closes the page live", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "labs-live", labs: { dms: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    await expect(page.getByTestId("dm-agent")).toHaveCount(2);
    await admin
      .from("project_settings")
      .update({ value: { team_room: false, dms: false } })
      .eq("project_id", project.id)
      .eq("key", "labs_features");
    await expect(page.getByText("Direct messages is a labs feature and is off in this project")).toBeVisible();
  });

  test("a viewer sees the settings read-only and no composer", async ({ page, admin, signIn }) => {
    const viewer = await createUser(admin, "viewer");
    const project = await createTestProject(admin, {
      label: "viewer",
      labs: { dms: true },
      members: [{ userId: viewer.userId, role: "viewer" }],
    });
    await signIn(viewer);
    await page.goto(`/p/${project.slug}/settings`);
    await expect(page.getByRole("switch", { name: "Direct messages" })).toBeDisabled();
    await page.goto(`/p/${project.slug}/dms`);
    await expect(page.getByText("You are a viewer in this project: you can read, not send.")).toBeVisible();
    await expect(page.getByRole("textbox")).toHaveCount(0);
  });
});
