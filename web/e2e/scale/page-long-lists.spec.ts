import type { Locator, Page } from "@playwright/test";
import type { TAdminClient } from "../testing/admin-client.ts";
import { dmPane } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, ensureDmThread } from "../testing/test-data.ts";

/** More rows than any list should ever have in the page at once. */
const DOM_ROW_BOUND = 200;
const BASE_TIME = Date.parse("2026-11-01T08:00:00Z");

/** "Entry 0042": zero-padded, so one label never contains another. */
const label = (prefix: string, n: number) => `${prefix} ${String(n).padStart(4, "0")}`;

/** Inserts rows in chunks of 1,000 (one request each), through the service role. */
async function insertInChunks(admin: TAdminClient, table: "activities" | "project_chat_messages", rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await admin.from(table).insert(rows.slice(i, i + 1000) as never);
    if (inserted.error) throw new Error(`could not insert ${table}: ${inserted.error.message}`);
  }
}

/** Scrolls the shell's content area (the page's scroller) to its end. */
function scrollContentToEnd(page: Page): Promise<void> {
  return page.evaluate(() => {
    const content = document.getElementById("content");
    if (content) content.scrollTop = content.scrollHeight;
  });
}

/** Where a chat message sits relative to the top of its thread's scrolling box, in px. */
function topInThread(message: Locator): Promise<number> {
  return message.evaluate((el) => {
    const box = el.closest('[data-testid="chat-messages"]');
    return el.getBoundingClientRect().top - (box?.getBoundingClientRect().top ?? 0);
  });
}

/** How many activities the project has (the seed's and what creating the project wrote). */
async function countActivities(admin: TAdminClient, projectId: string): Promise<number> {
  const counted = await admin.from("activities").select("id", { count: "exact", head: true }).eq("project_id", projectId);
  if (counted.error || counted.count === null) throw new Error(`could not count activities: ${counted.error?.message}`);
  return counted.count;
}

test.describe("long lists at scale", () => {
  test("the feed renders a bounded window, pages older entries from the database to the first, and shows live ones on top", async ({
    page,
    admin,
    signIn,
  }) => {
    const project = await createTestProject(admin, { label: "long-feed" });
    await insertInChunks(
      admin,
      "activities",
      Array.from({ length: 2000 }, (_, i) => ({
        project_id: project.id,
        actor_type: "system",
        actor: "seed",
        kind: "test.entry",
        summary: label("Entry", i + 1),
        created_at: new Date(BASE_TIME + (i + 1) * 1000).toISOString(),
      })),
    );
    const total = await countActivities(admin, project.id);
    await signIn();
    await page.goto(`/p/${project.slug}/activity`);
    const feed = page.getByRole("list", { name: "Project activity" });
    const items = feed.getByTestId("activity-item");
    await expect(items.filter({ hasText: label("Entry", 2000) })).toBeVisible();
    await expect(items.first()).toHaveAttribute("aria-posinset", "1");
    expect(await items.count()).toBeLessThan(DOM_ROW_BOUND);

    // Scrolling on reads older pages until the database has nothing older; the oldest entry ends the feed.
    const footer = page.getByTestId("older-rows-footer");
    await expect
      .poll(
        async () => {
          await scrollContentToEnd(page);
          return footer.getAttribute("data-state");
        },
        { timeout: 45_000, intervals: [250] },
      )
      .toBe("end");
    await scrollContentToEnd(page);
    const oldest = items.filter({ hasText: label("Entry", 1) });
    await expect(oldest).toBeInViewport();
    await expect(oldest).toHaveAttribute("aria-posinset", String(total));
    await expect(oldest).toHaveAttribute("aria-setsize", String(total));
    await expect(page.getByText(`${total} of ${total}`)).toBeVisible();
    expect(await items.count()).toBeLessThan(DOM_ROW_BOUND);

    // A new entry arrives by realtime at the top.
    const live = await admin
      .from("activities")
      .insert({ project_id: project.id, actor_type: "system", actor: "seed", kind: "test.entry", summary: "Arrived live" });
    expect(live.error).toBeNull();
    await page.evaluate(() => document.getElementById("content")?.scrollTo({ top: 0 }));
    await expect(items.first()).toContainText("Arrived live");
    await expect(page.getByText(`${total + 1} of ${total + 1}`)).toBeVisible();
  });

  test("a long chat thread renders a window and loads older messages at the top without moving the one being read", async ({
    page,
    admin,
    signIn,
  }) => {
    const project = await createTestProject(admin, { label: "long-thread", labs: { dms: true } });
    const threadId = await ensureDmThread(admin, project.id, "lead");
    await insertInChunks(
      admin,
      "project_chat_messages",
      Array.from({ length: 600 }, (_, i) => ({
        project_id: project.id,
        thread_id: threadId,
        author_type: "agent",
        author_agent_key: "lead",
        content: label("Message", i + 1),
        created_at: new Date(BASE_TIME + (i + 1) * 1000).toISOString(),
      })),
    );
    await signIn();
    await page.goto(`/p/${project.slug}/dms`);
    const pane = dmPane(page, "Lead");
    const messages = pane.getByTestId("chat-message");
    const scroller = pane.getByTestId("chat-messages");
    await expect(messages.filter({ hasText: label("Message", 600) })).toBeInViewport();
    expect(await messages.count()).toBeLessThan(DOM_ROW_BOUND);

    // The live store holds the newest 200 (0401-0600): at the top, older pages are read and prepended.
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    const read = messages.filter({ hasText: label("Message", 401) });
    await expect(read).toBeInViewport();
    const before = await topInThread(read);
    await expect(messages.filter({ hasText: label("Message", 400) })).toHaveCount(1, { timeout: 20_000 });
    await expect.poll(async () => Math.abs((await topInThread(read)) - before)).toBeLessThanOrEqual(4);
    await expect(read).toBeInViewport();
    expect(await messages.count()).toBeLessThan(DOM_ROW_BOUND);
    await expect(pane.getByTestId("new-messages-pill")).toHaveCount(0);
  });
});
