import type { Locator } from "@playwright/test";
import type { TAdminClient } from "../testing/admin-client.ts";
import { agentReplies, dmPane, sendFrom, waitForDelivery } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, proposeAction } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";

// What an agent might write, markdown and hostile HTML together.
const AGENT_MARKDOWN = [
  "## Plan for **today**",
  "",
  "| step | owner |",
  "| ---- | ----- |",
  "| migrate | @web |",
  "",
  "```ts",
  "const limit: number = 42; // requests per minute",
  "```",
  "",
  'Raw: <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> <b>not bold</b>',
  "",
  "[click me](javascript:window.__pwned=3) and [the docs](https://example.com/docs)",
].join("\n");

/** Inserts `n` agent messages in one statement (the executor's rows, through the service role). */
async function insertAgentMessages(admin: TAdminClient, projectId: string, threadId: string, texts: string[]): Promise<void> {
  const rows = texts.map((content) => ({
    project_id: projectId,
    thread_id: threadId,
    author_type: "agent",
    author_agent_key: "lead",
    content,
  }));
  const inserted = await admin.from("project_chat_messages").insert(rows as never);
  if (inserted.error) throw new Error(`could not insert messages: ${inserted.error.message}`);
}

/** How far a pane's message list is from its bottom, in px. */
function distanceFromBottom(pane: Locator): Promise<number> {
  return pane.getByTestId("chat-messages").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
}

test.describe("readable conversations", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("an agent's markdown renders highlighted and sanitised, with @mentions marked", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "md-chat", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(admin, project.id, threadId, "lead", AGENT_MARKDOWN);
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const message = agentReplies(dmPane(page, "Lead")).filter({ hasText: "Plan for" });

    await expect(message.getByRole("heading", { name: "Plan for today" })).toBeVisible();
    await expect(message.getByRole("table")).toContainText("migrate");
    await expect(message.locator("pre code.hljs .hljs-keyword").first()).toHaveText("const");
    await expect(message.locator("pre code.hljs .hljs-number")).toHaveText("42");
    await expect(message.locator('[data-mention="web"]')).toHaveText("@web");
    // Nothing the agent wrote as HTML reaches the page.
    await expect(message.locator("script, img, b")).toHaveCount(0);
    await expect(message.locator("[onerror], [onclick]")).toHaveCount(0);
    await expect(message.getByText("click me")).toBeVisible();
    await expect(message.locator('a[href^="javascript"]')).toHaveCount(0);
    await expect(message.getByRole("link", { name: "the docs" })).toHaveAttribute("rel", "noopener noreferrer");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(message.locator("pre code.hljs")).toBeVisible();
      // The conversation never scrolls sideways: wide code and tables scroll inside themselves.
      const sideways = await dmPane(page, "Lead")
        .getByTestId("chat-messages")
        .evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(sideways, `the DM at ${size.width} px scrolls sideways`).toBeLessThanOrEqual(0);
      await shot(`chat-markdown-${size.width}`);
    }
  });

  test("a proposal's outcome is a compact row, the notice and the agent's answer behind details", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "outcome-row", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Add rate limits to the Control API" },
      proposed_by_agent_key: "lead",
      summary: "Track the rate-limit work",
      thread_id: threadId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const pane = dmPane(page, "Lead");
    const card = approvalCard(page, proposalId);
    await card.getByRole("button", { name: "Reject", exact: true }).click();
    await card.getByRole("textbox", { name: "Rejection comment" }).fill("Fold it into the API task instead.");
    await card.getByRole("button", { name: "Reject with comment" }).click();

    const row = pane.locator(`[data-testid="outcome-row"][data-proposal-id="${proposalId}"]`);
    await expect(row).toHaveAttribute("data-status", "rejected");
    await expect(row).toContainText("create_task");
    await expect(row).toContainText("Rejected");
    await expect(row).toContainText("Add rate limits to the Control API");
    await expect(row).toContainText("“Fold it into the API task instead.”");
    await expect(row.getByRole("link", { name: "View proposal" })).toHaveAttribute("href", new RegExp(`proposal=${proposalId}`));
    // What was written for the agent is not on show.
    await expect(pane.getByText("```json")).toBeHidden();
    await expect(pane.getByText(/Revise it to address the comment/)).toBeHidden();

    // The agent is woken by the notice; its answer folds under the row instead of standing alone.
    const reply = row.getByTestId("outcome-reply");
    await expect(reply).toHaveCount(1, { timeout: 20_000 });
    await expect(reply).toBeHidden();
    await expect(row.locator("summary")).toContainText("Lead replied");
    await row.locator("summary").click();
    await expect(row).toContainText("Revise it to address the comment");
    await expect(reply).toBeVisible();
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(row.getByRole("link", { name: "View proposal" })).toBeVisible();
      await shot(`chat-outcome-row-${size.width}`);
    }
  });

  test("the pane follows new messages at the bottom, and offers a pill once the reader scrolled up", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "stick-bottom", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessages(
      admin,
      project.id,
      threadId,
      Array.from({ length: 40 }, (_, i) => `Earlier note ${i + 1}\nwith a second line`),
    );
    await page.setViewportSize({ width: 1360, height: 640 });
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const pane = dmPane(page, "Lead");
    await expect(agentReplies(pane)).toHaveCount(40);
    await expect.poll(() => distanceFromBottom(pane)).toBeLessThanOrEqual(48);

    // At the bottom: a new message scrolls into view by itself.
    await insertAgentMessage(admin, project.id, threadId, "lead", "Followed while at the bottom");
    await expect(agentReplies(pane).filter({ hasText: "Followed while at the bottom" })).toBeInViewport();
    await expect(pane.getByTestId("new-messages-pill")).toHaveCount(0);

    // Scrolled up: the view stays put and a pill counts what arrived.
    await pane.getByTestId("chat-messages").evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => distanceFromBottom(pane)).toBeGreaterThan(200);
    await insertAgentMessage(admin, project.id, threadId, "lead", "Arrived while reading");
    await insertAgentMessage(admin, project.id, threadId, "lead", "And another");
    const pill = pane.getByTestId("new-messages-pill");
    await expect(pill).toHaveText("2 new messages ↓");
    await expect(agentReplies(pane).first()).toBeInViewport();
    expect(await pane.getByTestId("chat-messages").evaluate((el) => el.scrollTop)).toBeLessThan(50);

    await pill.click();
    await expect.poll(() => distanceFromBottom(pane)).toBeLessThanOrEqual(48);
    await expect(pill).toHaveCount(0);
    await expect(agentReplies(pane).filter({ hasText: "And another" })).toBeInViewport();
  });

  test("says an agent is working while it is on a delivery", async ({ page, admin, signIn, executor, shot }) => {
    const project = await createTestProject(admin, { label: "working", labs: { dms: true } });
    // Lead talks to a provider that never answers, so its delivery stays claimed.
    await admin
      .from("agents")
      .update({ provider: "openai_compatible", model: "hangs-forever" })
      .eq("id", project.agents.lead ?? "");
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const pane = dmPane(page, "Lead");
    await expect(pane.getByTestId("agent-working")).toHaveCount(0);
    await sendFrom(pane, "Think about this one");
    await waitForDelivery(admin, project.id, "Think about this one", ["delivered"]);
    await expect(pane.getByTestId("agent-working")).toHaveText("Lead is working…");
    await shot("chat-working-1360");

    // Once the delivery ends (failed by the watchdog, or finished by the restarted executor), the line goes.
    await executor.kill();
    await admin
      .from("agents")
      .update({ provider: "builtin", model: "builtin-offline" })
      .eq("id", project.agents.lead ?? "");
    await executor.start();
    await waitForDelivery(admin, project.id, "Think about this one", ["failed", "processed"], 30_000);
    await expect(pane.getByTestId("agent-working")).toHaveCount(0);
  });
});
