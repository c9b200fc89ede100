import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { proposeTestChangeset } from "../runs/propose-test-changeset.ts";
import { expect, test } from "../testing/fixtures.ts";
import { insertTask, proposeAction } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";

// axe-core on every screen of the dashboard, with data on it (a task, a proposal, a run, a DM),
// in the dark theme and the light one. A screen reader or keyboard user must meet no serious or
// critical violation anywhere: missing names, unlabelled fields, low contrast, broken roles.

/** Runs axe on the page as it is now and fails listing every serious or critical violation. */
async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} -- ${n.failureSummary?.split("\n").slice(1).join("; ")}`).join("\n")}`,
    )
    .join("\n");
  expect(
    serious.map((v) => v.id),
    `${screen} has serious or critical accessibility violations:\n${report}`,
  ).toEqual([]);
}

test.describe("accessibility of every page", () => {
  // No executor: the run below is claimed by a fake one, which a live executor would take over.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("sign-in has no serious or critical violations", async ({ page }) => {
    for (const colorScheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto("/sign-in");
      await expect(page.getByRole("heading").first()).toBeVisible();
      await expectNoSeriousViolations(page, `sign-in (${colorScheme})`);
    }
  });

  test("every project page has no serious or critical violations", async ({ page, admin, signIn }) => {
    test.setTimeout(240_000);
    const project = await createTestProject(admin, { label: "axe", labs: { team_room: true, dms: true } });
    const taskId = await insertTask(admin, project.id, { title: "Check the contrast", status: "in_progress", assignee_agent_key: "web" });
    await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Write the release notes" },
      proposed_by_agent_key: "lead",
      summary: "Add a task for the release notes",
      task_id: taskId,
    });
    const { runId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId,
      goal: "Fix the colours",
      summary: "Darker muted text",
      files: [{ path: "notes.md", before: "old\n", after: "new\n" }],
    });
    const dm = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(admin, project.id, dm, "lead", "The plan is ready.");
    await signIn();

    // Each screen with something that shows its data has arrived (not only its frame).
    const screens: { path: string; ready: (page: Page) => ReturnType<Page["getByText"]> }[] = [
      { path: "overview", ready: (p) => p.getByRole("heading", { level: 1 }) },
      { path: "activity", ready: (p) => p.getByRole("heading", { name: "Activity", exact: true }) },
      { path: "tasks", ready: (p) => p.getByText("Check the contrast").first() },
      { path: `tasks/${taskId}`, ready: (p) => p.getByRole("heading", { name: "Check the contrast" }) },
      // Both proposals, the changeset's with its diff loaded.
      { path: "approvals", ready: (p) => p.getByText("new", { exact: true }).first() },
      { path: "team-room", ready: (p) => p.getByRole("heading", { name: "Team Room", exact: true }) },
      { path: "dms", ready: (p) => p.getByRole("heading", { name: "Direct messages", exact: true }) },
      { path: "agents", ready: (p) => p.getByText("Builds the dashboard.").first() },
      { path: "agents/web", ready: (p) => p.getByRole("heading", { level: 1 }) },
      { path: "runs", ready: (p) => p.getByText("Fix the colours").first() },
      // The changeset's diff (loaded on its own), with the file's new line in it.
      { path: `runs/${runId}`, ready: (p) => p.getByText("new", { exact: true }).first() },
      { path: "knowledge", ready: (p) => p.getByRole("heading", { name: "Knowledge", exact: true }) },
      { path: "skills", ready: (p) => p.getByRole("heading", { name: "Skills", exact: true }) },
      { path: "schedule", ready: (p) => p.getByRole("heading", { name: "Schedule", exact: true }) },
      { path: "usage", ready: (p) => p.getByRole("heading", { level: 1 }) },
      { path: "settings", ready: (p) => p.getByRole("heading", { name: "Settings", exact: true }) },
      { path: "settings/agent-defaults", ready: (p) => p.getByRole("heading", { name: "Settings", exact: true }) },
      { path: "settings/providers", ready: (p) => p.getByRole("heading", { name: "Settings", exact: true }) },
      { path: "settings/runs", ready: (p) => p.getByRole("heading", { name: "Settings", exact: true }) },
    ];
    const failures: string[] = [];
    // Dark is the console's own theme; light follows the OS. Both must read.
    for (const colorScheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const screen of screens) {
        await page.goto(`/p/${project.slug}/${screen.path}`);
        await expect(screen.ready(page)).toBeVisible();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        if (screen.path === "dms") {
          // The conversation pane too, not only the list of agents.
          const lead = page.locator('[data-testid="dm-agent"][data-agent="lead"]');
          // Its name says who, then the status, once (it used to read "offline Lead offline").
          await expect(lead).toHaveAccessibleName(/^Lead \([a-z]+\)$/);
          // The pane stays open from the first theme's visit; a click would close it.
          if ((await lead.getAttribute("aria-pressed")) !== "true") await lead.click();
          await expect(page.getByText("The plan is ready.")).toBeVisible();
        }
        // Collect every screen's violations before failing, so one run lists all there is to fix.
        await expectNoSeriousViolations(page, `${screen.path} (${colorScheme})`).catch((error: Error) => failures.push(error.message));
      }
    }
    expect(failures, failures.join("\n\n")).toEqual([]);
  });
});
