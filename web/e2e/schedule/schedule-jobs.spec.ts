import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("schedule", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("turns a heartbeat on with the interval picker, runs it now and sees the history row; a cron job shows its next five times", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "schedule" });
    await signIn();
    await page.goto(`/p/${project.slug}/schedule`);
    await expect(page.getByRole("link", { name: "Schedule" })).toHaveAttribute("aria-current", "page");

    // Heartbeats: an interval picker, no cron syntax.
    const lead = page.getByTestId("heartbeat-lead");
    const interval = lead.getByRole("combobox", { name: "Interval of @lead's heartbeat" });
    await interval.selectOption({ label: "every 15 minutes" });
    // The interval change is applied (its confirmation shows) before the heartbeat is turned on, so
    // the two confirmations cannot arrive out of order.
    await expect(page.getByText("Heartbeat of @lead off, every 15 minutes")).toBeVisible();
    await expect(interval).toHaveValue("15");
    await lead.getByRole("checkbox", { name: "Non-destructive periodic check" }).check();
    await expect(page.getByText("Heartbeat of @lead on, every 15 minutes")).toBeVisible();
    await expect(lead.getByRole("checkbox", { name: "Non-destructive periodic check" })).toBeChecked();
    // The executor computes the next run within a tick.
    await expect(lead.locator("td").nth(3)).not.toHaveText("—", { timeout: 10_000 });

    await lead.getByRole("button", { name: "Run now" }).click();
    await expect(lead.locator("td").nth(4)).toHaveText("skipped: nothing changed", { timeout: 10_000 });
    await lead.getByRole("button", { name: "History" }).click();
    const drawer = page.getByRole("complementary", { name: "History of Heartbeat @lead" });
    await expect(drawer.getByRole("row").filter({ hasText: "nothing changed" })).toHaveCount(1);
    await shot("schedule-heartbeat-history");
    await drawer.getByRole("button", { name: "Close" }).click();

    // Scheduled Jobs: the expression in plain words with its time zone and the next five fire times.
    const form = page.getByRole("form", { name: "New scheduled job" });
    await form.getByRole("textbox", { name: "Name" }).fill("Morning summary");
    await form.getByRole("textbox", { name: "Expression" }).fill("0 9 * * 1-5");
    await form.getByRole("textbox", { name: "Time zone" }).fill("Europe/Berlin");
    const preview = page.getByTestId("schedule-preview");
    await expect(preview).toContainText("At 09:00, Monday through Friday (Europe/Berlin)");
    await expect(preview.getByRole("list", { name: "Next five fire times" }).getByRole("listitem")).toHaveCount(5);
    await expect(preview.getByRole("listitem").first()).toContainText("09:00");
    await form.getByRole("textbox", { name: "Expression" }).fill("0 9 * *");
    await expect(preview).toContainText("five-field");
    await expect(form.getByRole("button", { name: "Schedule job" })).toBeDisabled();
    await form.getByRole("textbox", { name: "Expression" }).fill("0 9 * * 1-5");
    await form.getByRole("button", { name: "Schedule job" }).click();

    const row = page.getByTestId("job-Morning summary");
    await expect(row).toContainText("At 09:00, Monday through Friday (Europe/Berlin)");
    await expect(row.locator("td").nth(3)).toContainText("09:00", { timeout: 10_000 });
    await shot("schedule-jobs");
  });
});
