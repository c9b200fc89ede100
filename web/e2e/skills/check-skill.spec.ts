import fs from "node:fs";
import path from "node:path";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("skills", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("a skill that needs a file moves from Needs setup to Ready after the file exists and Check again is pressed; Check again needs the executor", async ({
    page,
    admin,
    signIn,
    shot,
    workspaceDir,
    executor,
  }) => {
    const project = await createTestProject(admin, { label: "skills" });
    // Each test gets its own folder of the worker's workspace.
    const file = `${project.slug}/deploy.yml`;
    await signIn();
    await page.goto(`/p/${project.slug}/skills`);
    await expect(page.getByRole("link", { name: "Skills" })).toHaveAttribute("aria-current", "page");

    // The built-in skills of the new project are checked by the executor within seconds.
    const ready = page.getByTestId("skills-group-ready");
    const needsSetup = page.getByTestId("skills-group-needs_setup");
    await expect(ready.getByTestId("skill-item").filter({ hasText: "Read the workspace" })).toBeVisible({ timeout: 15_000 });
    await expect(needsSetup.getByTestId("skill-item").filter({ hasText: "Call HTTP APIs" })).toBeVisible();

    // An operator adds a skill of their own that needs a file in the workspace.
    await page.getByRole("button", { name: "Add skill" }).click();
    const form = page.getByRole("form", { name: "Add a skill" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Deploy config");
    await form.getByRole("textbox", { name: "Description", exact: true }).fill("Agents read the deploy settings");
    await form.getByRole("combobox", { name: "Requirement 1 kind" }).selectOption("file");
    await form.getByRole("textbox", { name: "Requirement 1 name" }).fill(file);
    await form.getByRole("textbox", { name: /Setup steps/ }).fill(`touch "$WORKSPACE_DIR/${file}"`);
    await form.getByRole("button", { name: "Add skill" }).click();

    const drawer = page.getByTestId("skill-drawer");
    await expect(drawer.getByRole("heading", { name: "Deploy config" })).toBeVisible();
    await expect(drawer.getByTestId("skill-status")).toHaveText("Needs setup");
    const requirement = drawer.getByTestId("skill-requirement");
    await expect(requirement).toHaveAttribute("data-ok", "false");
    await expect(requirement).toContainText(`${file} does not exist: create it on the executor's machine`);
    await expect(drawer.getByRole("button", { name: "Copy step 1" })).toBeVisible();
    await expect(needsSetup.getByTestId("skill-item").filter({ hasText: "Deploy config" })).toBeVisible();
    await shot("skills-needs-setup");

    fs.mkdirSync(path.join(workspaceDir, project.slug), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, file), "target: staging\n");
    await drawer.getByRole("button", { name: "Check again" }).click();
    await expect(drawer.getByTestId("skill-status")).toHaveText("Ready");
    await expect(requirement).toHaveAttribute("data-ok", "true");
    await expect(requirement).toContainText(`${file} exists and is readable`);
    await expect(ready.getByTestId("skill-item").filter({ hasText: "Deploy config" })).toBeVisible();
    await expect(needsSetup.getByTestId("skill-item").filter({ hasText: "Deploy config" })).toHaveCount(0);
    await shot("skills-ready");

    const skill = await admin.from("skills").select("id").eq("project_id", project.id).eq("key", "deploy_config").single();
    const verdict = await admin
      .from("skills_mirror")
      .select("status")
      .eq("skill_id", skill.data?.id ?? "")
      .single();
    expect(verdict.data?.status).toBe("ready");

    // Without the executor (Backup) a check cannot run: the button says why.
    await executor.stop();
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup");
    const checkAgain = drawer.getByRole("button", { name: "Check again" });
    await expect(checkAgain).toBeDisabled();
    await expect(checkAgain).toHaveAttribute("title", "Requires executor connection");
    await expect(page.getByText("these are its last results; Check again needs it")).toBeVisible();
    await shot("skills-backup");
  });
});
