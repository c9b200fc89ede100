import fs from "node:fs";
import path from "node:path";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("skills", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("an operator edits a skill they added and the executor checks it again at once; built-in skills have no Edit", async ({
    page,
    admin,
    signIn,
    shot,
    workspaceDir,
  }) => {
    const project = await createTestProject(admin, { label: "skills-edit" });
    const missing = `${project.slug}/deploy.yml`;
    const present = `${project.slug}/deploy-settings.yml`;
    fs.mkdirSync(path.join(workspaceDir, project.slug), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, present), "target: staging\n");
    const added = await admin.from("skills").insert({
      project_id: project.id,
      key: "deploy_config",
      name: "Deploy config",
      description: "Agents read the deploy settings",
      requirements: [{ kind: "file", name: missing }],
      setup_steps: [`touch "$WORKSPACE_DIR/${missing}"`],
    });
    expect(added.error).toBeNull();

    await signIn();
    await page.goto(`/p/${project.slug}/skills`);
    const drawer = page.getByTestId("skill-drawer");

    // Built-in skills are read-only.
    await page.getByTestId("skill-item").filter({ hasText: "Read the workspace" }).click();
    await expect(drawer.getByRole("heading", { name: "Read the workspace" })).toBeVisible();
    await expect(drawer.getByRole("button", { name: "Edit skill" })).toHaveCount(0);

    await page.getByTestId("skill-item").filter({ hasText: "Deploy config" }).click();
    await expect(drawer.getByTestId("skill-status")).toHaveText("Needs setup", { timeout: 15_000 });
    await drawer.getByRole("button", { name: "Edit skill" }).click();
    const form = drawer.getByRole("form", { name: "Edit Deploy config" });
    await expect(form.getByRole("textbox", { name: "Requirement 1 name" })).toHaveValue(missing);
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Deploy settings");
    await form.getByRole("textbox", { name: "Requirement 1 name" }).fill(present);
    await form.getByRole("textbox", { name: /Setup steps/ }).fill(`touch "$WORKSPACE_DIR/${present}"`);
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(form).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await shot(`skills-edit-form-${size.width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await form.getByRole("button", { name: "Save changes" }).click();

    await expect(drawer.getByRole("heading", { name: "Deploy settings" })).toBeVisible();
    await expect(drawer.getByTestId("skill-edited")).toBeVisible();
    // The edit wakes the executor's check: no Check again needed.
    await expect(drawer.getByTestId("skill-status")).toHaveText("Ready", { timeout: 15_000 });
    await expect(drawer.getByTestId("skill-requirement")).toContainText(`${present} exists and is readable`);
    await expect(drawer.getByTestId("skill-edited")).toContainText("from the check of the edited skill");
    const { data } = await admin
      .from("skills")
      .select("name, requirements, setup_steps")
      .eq("project_id", project.id)
      .eq("key", "deploy_config");
    expect(data).toEqual([
      { name: "Deploy settings", requirements: [{ kind: "file", name: present }], setup_steps: [`touch "$WORKSPACE_DIR/${present}"`] },
    ]);
    await shot("skills-edited");
  });
});
