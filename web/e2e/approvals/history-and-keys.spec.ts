import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread } from "../testing/test-data.ts";

/** Polls a proposal until its status is one of `statuses`. */
async function waitForStatus(admin: Parameters<typeof readProposal>[0], id: string, statuses: string[]): Promise<string> {
  let status = "";
  await expect
    .poll(
      async () => {
        status = (await readProposal(admin, id)).status;
        return statuses.includes(status);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return status;
}

test.describe("approvals history and keyboard", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("j/k move, a approves, r rejects; the history keeps every outcome, filtered and linked", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "history", labs: { dms: true } });
    const dm = await ensureDmThread(admin, project.id, "lead");
    const announce = await proposeAction(admin, project.id, {
      action_type: "send_message",
      params: { thread_key: "team-room", content: "Stand-up moves to 10:00." },
      proposed_by_agent_key: "lead",
      summary: "Announce the stand-up time",
      thread_id: dm,
    });
    const track = await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Track the flaky test" },
      proposed_by_agent_key: "web",
      summary: "Track the flaky test",
    });
    const lapsed = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: "old.md", content: "x" },
      proposed_by_agent_key: "lead",
      summary: "Write the old notes",
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });

    await signIn();
    await page.goto(`/p/${project.slug}/approvals`);
    await expect(page.getByRole("tab", { name: "Waiting (2)" })).toHaveAttribute("aria-selected", "true");
    const items = page.getByRole("list", { name: "Pending proposals" }).getByTestId("inbox-item");
    await expect(items).toHaveCount(2);
    await items.first().focus();
    await page.keyboard.press("j");
    await expect(items.nth(1)).toBeFocused();
    await page.keyboard.press("k");
    await expect(items.first()).toBeFocused();

    // a on the focused card approves it (the oldest: the announcement); the executor runs it.
    await page.keyboard.press("a");
    await waitForStatus(admin, announce, ["approved", "executing", "executed"]);
    await expect(items).toHaveCount(1);

    // r on the next starts a rejection, with the focus in the comment.
    await items.first().focus();
    await page.keyboard.press("r");
    const comment = approvalCard(page, track).getByRole("textbox", { name: "Rejection comment" });
    await expect(comment).toBeFocused();
    await comment.fill("It is tracked already.");
    await approvalCard(page, track).getByRole("button", { name: "Reject with comment" }).click();
    await waitForStatus(admin, track, ["rejected"]);
    await expect(page.getByText("Nothing is waiting for a decision.")).toBeVisible();

    await page.getByRole("tab", { name: "History" }).click();
    const history = page.getByRole("list", { name: "Proposal history" }).getByTestId("inbox-item");
    await expect(history).toHaveCount(3);
    await expect(approvalCard(page, lapsed)).toHaveAttribute("data-status", "expired");
    await expect(approvalCard(page, track)).toHaveAttribute("data-status", "rejected");
    // Each card links to where it was proposed.
    const announceItem = history.filter({ has: approvalCard(page, announce) });
    await expect(announceItem.getByRole("link", { name: "DM with Lead" })).toHaveAttribute("href", `/p/${project.slug}/dms?agent=lead`);

    const filters = page.getByRole("tabpanel", { name: "History" });
    await filters.getByLabel("Filter by status").selectOption("rejected");
    await expect(history).toHaveCount(1);
    await expect(history.first()).toContainText("Track the flaky test");
    await filters.getByLabel("Filter by status").selectOption("");
    await filters.getByLabel("Filter by agent").selectOption("lead");
    await expect(history).toHaveCount(2);
    await filters.getByLabel("Filter by action type").selectOption("file_write");
    await expect(history).toHaveCount(1);
    await expect(history.first()).toContainText("Write the old notes");
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await filters.getByLabel("Ended on or after").fill(tomorrow);
    await expect(history).toHaveCount(0);
    await expect(page.getByText("No decided, expired or failed proposals match.")).toBeVisible();

    // A link to one proposal opens the history on it.
    await page.goto(`/p/${project.slug}/approvals?proposal=${track}`);
    await expect(page.getByRole("tab", { name: "History" })).toHaveAttribute("aria-selected", "true");
    const linked = page.locator(`[data-proposal-item="${track}"]`);
    await expect(linked).toBeFocused();
    await expect(linked).toHaveAttribute("data-linked", "true");

    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await page.goto(`/p/${project.slug}/approvals?proposal=${track}`);
      await expect(page.getByRole("tab", { name: "History" })).toHaveAttribute("aria-selected", "true");
      await expect(page.getByRole("list", { name: "Proposal history" }).getByTestId("inbox-item")).toHaveCount(3);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `approvals history at ${size.width} px is wider than the window`).toBeLessThanOrEqual(0);
      await shot(`approvals-history-${size.width}`);
    }
  });
});
