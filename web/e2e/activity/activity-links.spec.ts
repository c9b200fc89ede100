import { agentReplies, dmPane, sendFrom } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread } from "../testing/test-data.ts";

test.describe("activity", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("rows link to what they are about, and actors are named, never an executor id", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "activity-links", labs: { dms: true } });
    const dm = await ensureDmThread(admin, project.id, "lead");
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "send_message",
      params: { thread_key: "team-room", content: "Deploy at noon." },
      proposed_by_agent_key: "lead",
      summary: "Announce the deploy",
      thread_id: dm,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/approvals`);
    await approvalCard(page, proposalId).getByRole("button", { name: "Approve", exact: true }).click();
    await expect.poll(async () => (await readProposal(admin, proposalId)).status, { timeout: 20_000 }).toBe("executed");
    const executed = await admin.from("activities").select("actor").eq("project_id", project.id).eq("kind", "approval.executed").single();
    const executorId = executed.data?.actor ?? "";
    expect(executorId).not.toBe("");

    await page.goto(`/p/${project.slug}/dms`);
    await sendFrom(dmPane(page, "Lead"), "Did the deploy note go out?");
    const reply = agentReplies(dmPane(page, "Lead")).filter({ hasText: "Did the deploy note go out?" });
    await expect(reply).toContainText("[offline model]", { timeout: 20_000 });

    await page.getByRole("link", { name: "Activity" }).click();
    const feed = page.getByRole("list", { name: "Project activity" });
    const executedRow = feed.locator('[data-kind="approval.executed"]');
    await expect(executedRow).toHaveCount(1);
    await expect(executedRow).toContainText("Executor");
    await expect(feed).not.toContainText(executorId);
    await expect(executedRow.getByRole("link", { name: "Proposal" })).toHaveAttribute(
      "href",
      `/p/${project.slug}/approvals?proposal=${proposalId}`,
    );
    await expect(executedRow.getByRole("link", { name: "Lead", exact: true })).toHaveAttribute("href", `/p/${project.slug}/agents/lead`);
    await expect(executedRow.getByRole("link", { name: "DM with Lead" })).toBeVisible();

    const replied = feed.locator('[data-kind="chat.replied"]').first();
    await expect(replied).toContainText("Lead");
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(replied.getByRole("link", { name: "DM with Lead" })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `activity at ${size.width} px is wider than the window`).toBeLessThanOrEqual(0);
      await shot(`activity-links-${size.width}`);
    }

    // The reply's link opens that conversation; the proposal's opens it in the history.
    await page.setViewportSize({ width: 1440, height: 900 });
    await replied.getByRole("link", { name: "DM with Lead" }).click();
    await expect(dmPane(page, "Lead")).toBeVisible();
    await page.goBack();
    await executedRow.getByRole("link", { name: "Proposal" }).click();
    await expect(page.locator(`[data-proposal-item="${proposalId}"]`)).toHaveAttribute("data-linked", "true");
  });
});
