import crypto from "node:crypto";
import type { TAdminClient } from "../testing/admin-client.ts";
import { expect, test } from "../testing/fixtures.ts";
import { proposeAction } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread } from "../testing/test-data.ts";

// The Overview reads only the database (no executor runs in this spec: the seeded queue stays as
// seeded, and the page is in Backup mode, which it must work in).

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;

/** A team-room (or DM) message to `agentKey` and its delivery with the given state and timestamps. */
async function seedDelivery(admin: TAdminClient, projectId: string, threadId: string, agentKey: string, fields: Record<string, unknown>) {
  const message = await admin
    .from("project_chat_messages")
    .insert({ project_id: projectId, thread_id: threadId, author_type: "user", target_agent_keys: [agentKey], content: "Status?" })
    .select("id")
    .single();
  if (message.error) throw new Error(`could not insert the message: ${message.error.message}`);
  const delivery = await admin
    .from("chat_delivery_queue")
    .insert({ project_id: projectId, message_id: message.data.id, agent_key: agentKey, ...fields } as never);
  if (delivery.error) throw new Error(`could not insert the delivery: ${delivery.error.message}`);
}

async function teamRoomThread(admin: TAdminClient, projectId: string): Promise<string> {
  await admin
    .from("project_chat_threads")
    .upsert(
      { project_id: projectId, kind: "team_room", thread_key: "team-room", title: "Team Room" },
      { onConflict: "project_id,thread_key", ignoreDuplicates: true },
    );
  const thread = await admin.from("project_chat_threads").select("id").eq("project_id", projectId).eq("thread_key", "team-room").single();
  if (thread.error) throw new Error(`could not read the team room: ${thread.error.message}`);
  return thread.data.id;
}

test.describe("Overview", () => {
  // The page only reads the database; a running executor would take the seeded queued delivery or
  // its watchdog would fail it mid-test, so no executor runs here (the page then says Backup).
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("shows the project at a glance, links each number to where it is acted on, and counts approvals live", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "overview", labs: { team_room: true, dms: true } });
    const room = await teamRoomThread(admin, project.id);
    const dm = await ensureDmThread(admin, project.id, "web");
    // Two replies in the last hour (20 s and 40 s), one delivery waiting for 7 minutes, one failure.
    await seedDelivery(admin, project.id, room, "lead", {
      status: "processed",
      created_at: ago(30 * MIN),
      picked_up_at: ago(30 * MIN - 5_000),
      completed_at: ago(30 * MIN - 20_000),
    });
    await seedDelivery(admin, project.id, room, "web", {
      status: "processed",
      created_at: ago(20 * MIN),
      picked_up_at: ago(20 * MIN - 5_000),
      completed_at: ago(20 * MIN - 40_000),
    });
    await seedDelivery(admin, project.id, dm, "web", { status: "queued", created_at: ago(7 * MIN) });
    await seedDelivery(admin, project.id, room, "web", {
      status: "failed",
      attempts: 5,
      error: "Provider answered 429: rate limited",
      created_at: ago(10 * MIN),
      picked_up_at: ago(10 * MIN - 1_000),
      completed_at: ago(9 * MIN),
    });
    const calls = await admin.from("provider_calls").insert(
      [0.03, 0.02].map((cost) => ({
        id: crypto.randomUUID(),
        project_id: project.id,
        agent_key: "lead",
        provider: "connection",
        model: "gpt-4o-mini",
        outcome: "ok",
        input_tokens: 1000,
        output_tokens: 250,
        cost_usd: cost,
        finished_at: new Date().toISOString(),
      })) as never,
    );
    expect(calls.error).toBeNull();
    const status = await admin
      .from("agent_status")
      .update({ status: "working", current_action: "Planning the release" })
      .eq("agent_id", project.agents.lead ?? "");
    expect(status.error).toBeNull();

    await signIn();
    // The project opens on its Overview.
    await page.goto(`/p/${project.slug}`);
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/overview$`));
    await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();

    const value = (testId: string) => page.getByTestId(testId).locator("[data-part=value]");
    await expect(value("overview-agents")).toHaveText("1");
    await expect(page.getByTestId("overview-agents")).toContainText("Lead of 2");
    await expect(value("overview-queue")).toHaveText("1");
    await expect(value("overview-oldest")).toHaveText(/^[78] min$/);
    await expect(page.getByTestId("overview-oldest")).toContainText("for @web in DM with Web");
    await expect(value("overview-failed")).toHaveText("1");
    await expect(value("overview-spend")).toHaveText("$0.05");
    await expect(page.getByTestId("overview-spend")).toContainText("2,500 tokens · 2 calls");
    await expect(value("overview-approvals")).toHaveText("0");
    await expect(page.getByTestId("overview-approvals")).toContainText("Nothing waits for a decision.");

    // Every number leads to where it is acted on.
    await expect(page.getByTestId("overview-agents")).toHaveAttribute("href", `/p/${project.slug}/agents`);
    await expect(page.getByTestId("overview-runs")).toHaveAttribute("href", `/p/${project.slug}/runs`);
    await expect(page.getByTestId("overview-oldest")).toHaveAttribute("href", `/p/${project.slug}/dms?agent=web`);
    await expect(page.getByTestId("overview-spend")).toHaveAttribute("href", `/p/${project.slug}/usage`);
    await expect(page.getByTestId("overview-failed")).toHaveAttribute("href", "#failed-deliveries");
    const failed = page.getByTestId("overview-failed-list");
    await expect(failed).toContainText("Provider answered 429: rate limited");
    await expect(failed.getByRole("link", { name: "Retry in Team Room" })).toHaveAttribute("href", `/p/${project.slug}/team-room`);

    // Both charts draw: the queue as an area, latency as two lines (p50, p95).
    await expect(page.getByTestId("overview-queue-chart").locator(".recharts-area-area")).toHaveCount(1);
    await expect(page.getByTestId("overview-latency-chart").locator(".recharts-line-curve")).toHaveCount(2);

    // A new proposal shows at once (live store), and the tile then opens the oldest one.
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Write the release notes" },
      proposed_by_agent_key: "lead",
      summary: "Add a task for the release notes",
    });
    await expect(value("overview-approvals")).toHaveText("1");
    await expect(page.getByTestId("overview-approvals")).toContainText("oldest proposed just now");
    await expect(page.getByTestId("overview-approvals")).toHaveAttribute("href", `/p/${project.slug}/approvals?proposal=${proposalId}`);

    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await expect(page.getByTestId("overview-latency-chart").locator(".recharts-line-curve")).toHaveCount(2);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the Overview at ${size.width} px is wider than the window`).toBeLessThanOrEqual(0);
      await shot(`overview-${size.width}`);
      await page.getByTestId("overview-failed-list").scrollIntoViewIfNeeded();
      await shot(`overview-${size.width}-bottom`);
    }

    await page.getByTestId("overview-approvals").click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/approvals\\?proposal=`));
  });

  test("says what to do when the project is new", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "overview-empty" });
    await signIn();
    await page.goto(`/p/${project.slug}/overview`);
    await expect(page.getByTestId("overview-queue")).toContainText("Nothing waiting for an agent.");
    await expect(page.getByTestId("overview-spend")).toContainText("No provider calls yet today.");
    await expect(page.getByTestId("overview-queue-chart")).toContainText("Nothing waited for an agent in the last hour.");
    await expect(page.getByTestId("overview-latency-chart")).toContainText("No agent replied in the last hour");
    await expect(page.getByTestId("overview-failed-list")).toContainText("No delivery failed in the last day.");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("overview-empty-390");
  });
});
