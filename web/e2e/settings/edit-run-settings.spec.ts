import type { TAdminClient } from "../testing/admin-client.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, createUser } from "../testing/test-data.ts";

/** The stored `runs` setting of a project (null when none was saved). */
async function storedRuns(admin: TAdminClient, projectId: string): Promise<unknown> {
  const row = await admin.from("project_settings").select("value").eq("project_id", projectId).eq("key", "runs").maybeSingle();
  return row.data?.value ?? null;
}

test.describe("Settings → Runs", () => {
  test("saves the test command and the limits, and refuses a bad value with what to do", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "run-settings" });
    await signIn();
    await page.goto(`/p/${project.slug}/settings`);
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Runs" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/settings/runs$`));

    const form = page.getByRole("form", { name: "Run settings" });
    const command = form.getByRole("textbox", { name: "Test command" });
    await expect(command).toHaveAccessibleDescription(/without a shell.*RUN_TEST_ALLOWLIST \(default: npm, pnpm, yarn/);
    await command.fill("npm test -- --run");
    await form.getByRole("spinbutton", { name: "Max steps" }).fill("20");
    await form.getByRole("button", { name: "Save run settings" }).click();
    await expect(page.getByTestId("run-settings-status")).toHaveText("Run settings saved: runs that start from now on use them.");
    await expect.poll(() => storedRuns(admin, project.id)).toEqual({ test_command: "npm test -- --run", max_steps: 20 });
    await expect(page.getByText("npm test -- --run", { exact: true })).toBeVisible();

    // Out of range: refused beside the field, and nothing changes in the database.
    const steps = form.getByRole("spinbutton", { name: "Max steps" });
    await steps.fill("80");
    await form.getByRole("button", { name: "Save run settings" }).click();
    await expect(steps).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText("Max steps must be a whole number from 1 to 50")).toBeVisible();
    await expect(page.getByTestId("run-settings-status")).toHaveText("Nothing was saved: correct the fields marked in red.");

    // A command that needs a shell would fail at every test run: refused with what to write instead.
    await steps.fill("20");
    await command.fill("npm ci && npm test");
    await form.getByRole("button", { name: "Save run settings" }).click();
    await expect(form.getByText(/Test command uses the shell operator &&, but test commands run without a shell/)).toBeVisible();
    await shot("settings-runs-refused");
    expect(await storedRuns(admin, project.id)).toEqual({ test_command: "npm test -- --run", max_steps: 20 });

    // A program off the default allowlist is a warning, not a refusal: the executor's list may name it.
    await command.fill("tox -e py312");
    await expect(page.getByTestId("allowlist-warning")).toContainText("tox is not on the default allowlist");
    await form.getByRole("button", { name: "Save run settings" }).click();
    await expect.poll(() => storedRuns(admin, project.id)).toEqual({ test_command: "tox -e py312", max_steps: 20 });
  });

  test("a viewer reads the run settings but cannot change them", async ({ page, admin, signIn }) => {
    const viewer = await createUser(admin, "runs-viewer");
    const project = await createTestProject(admin, { label: "run-settings-viewer", members: [{ userId: viewer.userId, role: "viewer" }] });
    await admin.from("project_settings").insert({ project_id: project.id, key: "runs", value: { test_command: "pnpm test" } });
    await signIn(viewer);
    await page.goto(`/p/${project.slug}/settings/runs`);
    const form = page.getByRole("form", { name: "Run settings" });
    await expect(form.getByRole("textbox", { name: "Test command" })).toHaveValue("pnpm test");
    await expect(form.getByRole("textbox", { name: "Test command" })).toBeDisabled();
    await expect(form.getByRole("button", { name: "Save run settings" })).toHaveCount(0);
    await expect(page.getByText("You are a viewer in this project: settings are read-only.")).toBeVisible();
  });
});
