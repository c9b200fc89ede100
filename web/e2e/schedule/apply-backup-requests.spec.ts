import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("schedule in Backup mode", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("queues create, pause and Run now while the executor is stopped, and it applies them once each, in order, when it is back", async ({
    page,
    admin,
    signIn,
    executor,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "schedule-backup" });
    await signIn();
    await page.goto(`/p/${project.slug}/schedule`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    await executor.stop();
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup");

    // Create: the job is listed at once, as what it will be, waiting for the executor.
    const form = page.getByRole("form", { name: "New scheduled job" });
    await form.getByRole("textbox", { name: "Name" }).fill("Backup digest");
    await form.getByRole("textbox", { name: "Expression" }).fill("0 9 * * 1-5");
    await form.getByRole("button", { name: "Schedule job" }).click();
    const row = page.getByTestId("job-Backup digest");
    await expect(row).toHaveAttribute("data-pending", "true");

    // Pause it and run it now, still through request rows.
    await row.getByRole("button", { name: "Pause" }).click();
    await expect(row.getByRole("button", { name: "Resume" })).toBeVisible();
    await expect(row.locator("td").nth(3)).toHaveText("Paused");
    await row.getByRole("button", { name: "Run now" }).click();
    const pending = page.getByTestId("pending-request");
    await expect(pending).toHaveText(['Create "Backup digest"', 'Pause "Backup digest"', 'Run "Backup digest" now']);
    await expect(row.getByTestId("job-pending")).toHaveText("pending: create, pause, run now");
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(page.getByTestId("schedule-requests")).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.getByTestId("schedule-requests").scrollIntoViewIfNeeded();
      await shot(`schedule-backup-pending-${size.width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });

    const tables = ["cron_create_requests", "cron_job_patch_requests", "cron_run_requests"] as const;
    const requests = async () => {
      const rows = await Promise.all(
        tables.map(async (table) => {
          const { data, error } = await admin.from(table).select("job_id, status, error, seq").eq("project_id", project.id);
          if (error) throw new Error(error.message);
          return (data ?? []).map((request) => ({ table, ...request }));
        }),
      );
      return rows.flat().sort((a, b) => a.seq - b.seq);
    };
    const queued = await requests();
    // One row each, written in the order the operator acted, all for the same job, none applied.
    expect(queued.map((r) => [r.table, r.status])).toEqual([
      ["cron_create_requests", "queued"],
      ["cron_job_patch_requests", "queued"],
      ["cron_run_requests", "queued"],
    ]);
    const jobId = queued[0]?.job_id ?? "";
    expect(queued.every((r) => r.job_id === jobId)).toBe(true);
    const { data: notYet } = await admin.from("cron_mirror").select("id").eq("id", jobId);
    expect(notYet).toEqual([]);

    await executor.start();
    // Applied in order: the pause and the run found the job the create made (out of order they fail).
    await expect(pending).toHaveCount(0, { timeout: 30_000 });
    await expect(row).not.toHaveAttribute("data-pending", "true");
    await expect(row.locator("td").nth(4)).toContainText("succeeded", { timeout: 30_000 });
    await expect(row.locator("td").nth(3)).toHaveText("Paused");
    await expect(page.getByTestId("refused-request")).toHaveCount(0);
    expect((await requests()).map((r) => [r.table, r.status, r.error])).toEqual([
      ["cron_create_requests", "applied", null],
      ["cron_job_patch_requests", "applied", null],
      ["cron_run_requests", "applied", null],
    ]);

    await row.getByRole("button", { name: "History" }).click();
    const drawer = page.getByRole("complementary", { name: "History of Backup digest" });
    await expect(drawer.getByRole("row").filter({ hasText: "Run now" })).toHaveCount(1);
    await expect(drawer.getByRole("row").filter({ hasText: "succeeded" })).toHaveCount(1);
    await shot("schedule-backup-applied");

    // Once each: one job, paused, with exactly one occurrence, and one activity from it.
    const { data: job } = await admin.from("cron_mirror").select("enabled").eq("id", jobId).single();
    expect(job).toEqual({ enabled: false });
    const { data: runs } = await admin.from("cron_job_runs").select("status, reason").eq("job_id", jobId);
    expect(runs).toEqual([{ status: "succeeded", reason: "Run now" }]);
    const { data: fired } = await admin.from("activities").select("id").eq("project_id", project.id).eq("kind", "schedule.fired");
    expect(fired).toHaveLength(1);
  });
});
