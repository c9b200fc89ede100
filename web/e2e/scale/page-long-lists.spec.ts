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
async function insertInChunks(admin: TAdminClient, table: "activities" | "project_chat_messages" | "tasks", rows: object[]): Promise<void> {
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

  test("the board reads each column page by page with its true count, the table reads older tasks as it scrolls, and an old task opens by link", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "many-tasks" });
    const INBOX = 130;
    const DONE = 320;
    await insertInChunks(admin, "tasks", [
      ...Array.from({ length: INBOX }, (_, i) => ({
        project_id: project.id,
        title: label("Inbox task", i + 1),
        status: "inbox",
        position: i + 1,
      })),
      ...Array.from({ length: DONE }, (_, i) => ({
        project_id: project.id,
        title: label("Done task", i + 1),
        status: "done",
        position: i + 1,
      })),
    ]);
    await signIn();
    await page.goto(`/p/${project.slug}/tasks`);
    const inbox = page.getByRole("region", { name: "Inbox column" });
    const cards = inbox.getByTestId("task-card");
    await expect(inbox.getByTestId("column-count")).toHaveText(String(INBOX));
    await expect(cards).toHaveCount(50);
    await expect(cards.first()).toContainText(label("Inbox task", 1));
    await expect(cards.last()).toContainText(label("Inbox task", 50));
    await shot("tasks-board-many");
    await inbox.getByRole("button", { name: "Show 50 more (80 not shown)" }).click();
    await expect(cards).toHaveCount(100);
    await inbox.getByRole("button", { name: "Show 30 more (30 not shown)" }).click();
    await expect(cards).toHaveCount(INBOX);
    await expect(cards.last()).toContainText(label("Inbox task", INBOX));
    await expect(inbox.getByRole("button", { name: /^Show/ })).toHaveCount(0);
    // The Done column still shows its first page only.
    const done = page.getByRole("region", { name: "Done column" });
    await expect(done.getByTestId("task-card")).toHaveCount(50);
    await expect(done.getByTestId("column-count")).toHaveText(String(DONE));

    // A task added at the top of the column arrives live, and the count follows.
    const added = await admin.from("tasks").insert({ project_id: project.id, title: "Arrived live on top", status: "inbox", position: 0 });
    expect(added.error).toBeNull();
    await expect(cards.first()).toContainText("Arrived live on top");
    await expect(inbox.getByTestId("column-count")).toHaveText(String(INBOX + 1));

    // The table opens on the latest changed tasks and reads older ones as it scrolls, to the first.
    const total = INBOX + DONE + 1;
    await page.getByRole("button", { name: "Table", exact: true }).click();
    const count = page.getByTestId("table-count");
    await expect(count).toHaveText(new RegExp(`^\\d+ of ${total} tasks$`));
    await expect
      .poll(
        async () => {
          await scrollContentToEnd(page);
          return count.textContent();
        },
        { timeout: 45_000, intervals: [250] },
      )
      .toBe(`${total} of ${total} tasks`);
    expect(await page.getByTestId("task-row").count()).toBeLessThan(DOM_ROW_BOUND);

    // A link to the oldest task opens it, though the store held only the latest ones.
    const oldest = await admin.from("tasks").select("id").eq("project_id", project.id).eq("title", label("Inbox task", 1)).single();
    expect(oldest.error).toBeNull();
    await page.goto(`/p/${project.slug}/tasks/${oldest.data?.id}`);
    await expect(page.getByRole("heading", { name: label("Inbox task", 1) })).toBeVisible();
  });
});
