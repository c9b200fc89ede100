import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("backfill");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

async function timeline(taskId: string) {
  const { rows } = await sql.query(
    `select kind, author_type, author_agent_key, content, metadata, legacy_source, created_at
     from public.task_events where task_id = $1 order by created_at, seq`,
    [taskId],
  );
  return rows;
}

describe("backfill_legacy_task_events", () => {
  it("copies legacy comments and outputs into the task timeline once, however often it runs", async () => {
    const taskId = await insertTask(sql, f.projectId);
    await sql.query(
      `insert into public.task_comments (task_id, author, body, created_at) values
         ($1, 'builder', 'Started on it', '2025-01-01T10:00:00Z'),
         ($1, 'Dana (old system)', 'Looks good', '2025-01-01T11:00:00Z')`,
      [taskId],
    );
    await sql.query(
      "insert into public.task_outputs (task_id, author, title, content, url, created_at) values ($1, 'builder', 'Report', 'All done', 'https://example.test/r', '2025-01-01T12:00:00Z')",
      [taskId],
    );

    const first = await serviceClient().rpc("backfill_legacy_task_events");
    expect(first.error).toBeNull();
    expect(first.data).toBeGreaterThanOrEqual(3);
    const afterFirst = await timeline(taskId);
    expect(afterFirst).toEqual([
      expect.objectContaining({
        kind: "comment",
        author_type: "agent",
        author_agent_key: "builder",
        content: "Started on it",
        legacy_source: "task_comments",
      }),
      expect.objectContaining({
        kind: "comment",
        author_type: "system",
        author_agent_key: null,
        content: "Looks good",
        metadata: { legacy_author: "Dana (old system)" },
      }),
      expect.objectContaining({
        kind: "output_added",
        author_agent_key: "builder",
        content: "All done",
        metadata: { legacy_author: "builder", title: "Report", url: "https://example.test/r" },
        legacy_source: "task_outputs",
      }),
    ]);
    expect(afterFirst[0]?.created_at.toISOString()).toBe("2025-01-01T10:00:00.000Z");

    const second = await serviceClient().rpc("backfill_legacy_task_events");
    expect(second.error).toBeNull();
    expect(await timeline(taskId)).toEqual(afterFirst);
    const { rows } = await sql.query("select public.backfill_legacy_task_events() as added");
    expect(rows[0]?.added).toBe(0);
  });

  it("adds only the legacy rows written since the last run", async () => {
    const taskId = await insertTask(sql, f.projectId);
    await sql.query("select public.backfill_legacy_task_events()");
    await sql.query("insert into public.task_comments (task_id, author, body) values ($1, 'builder', 'late comment')", [taskId]);
    const { rows } = await sql.query("select public.backfill_legacy_task_events() as added");
    expect(rows[0]?.added).toBe(1);
    expect((await timeline(taskId)).map((e) => e.content)).toEqual(["late comment"]);
  });

  it("is for the service role only", async () => {
    const { error } = await f.owner.client.rpc("backfill_legacy_task_events");
    expect(error?.code).toBe("42501");
  });
});
