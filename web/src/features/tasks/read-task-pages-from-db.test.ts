import { anonClient, createProjectFixture, dropProjectFixture, sqlPool, type TProjectFixture } from "@mission-control/supabase/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { COLUMN_PAGE_SIZE, readTaskCounts, readTasksStart, TABLE_START_SIZE } from "./read-task-pages.ts";

// The Tasks page's reads against the real stack, as a member and as others: the first screen the
// server renders it with (readTasksStart), and the column counts (count_project_tasks).

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("tasks-start");
  const inbox = Array.from({ length: COLUMN_PAGE_SIZE + 10 }, (_, i) => `('${f.projectId}', 'Inbox ${i}', 'inbox', ${i})`);
  const done = Array.from({ length: 3 }, (_, i) => `('${f.projectId}', 'Done ${i}', 'done', ${i})`);
  await sql.query(`insert into public.tasks (project_id, title, status, position) values ${[...inbox, ...done].join(", ")}`);
  await sql.query(`insert into public.tasks (project_id, title) values ($1, 'Not this project''s')`, [f.otherProjectId]);
});

afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

describe("readTasksStart", () => {
  it("reads each column's first page in board order, the counts, and the latest changed tasks for the table", async () => {
    const start = await readTasksStart(f.viewer.client as unknown as TBrowserClient, f.projectId);
    expect(start.projectId).toBe(f.projectId);
    expect(start.counts).toEqual({ inbox: COLUMN_PAGE_SIZE + 10, assigned: 0, in_progress: 0, review: 0, done: 3, blocked: 0 });
    expect(start.columns.inbox.exhausted).toBe(false);
    expect(start.columns.inbox.last?.position).toBe(COLUMN_PAGE_SIZE - 1);
    expect(start.columns.done).toMatchObject({ exhausted: true });
    expect(start.columns.review).toEqual({ last: null, exhausted: true });
    // The table's first rows: the latest changed, and the cursor below them.
    expect(start.table.exhausted).toBe(false);
    const newest = await sql.query<{ seq: string }>("select seq from public.tasks where project_id = $1 order by seq desc", [f.projectId]);
    expect(start.table.seq).toBe(Number(newest.rows[TABLE_START_SIZE - 1]?.seq));
    // Every task once, none of another project.
    const ids = start.rows.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(start.rows.every((t) => t.project_id === f.projectId)).toBe(true);
    expect(start.rows.map((t) => t.title)).toContain("Done 2");
  });

  it("reads nothing of a project for someone who is not a member (RLS decides, as in the browser)", async () => {
    const start = await readTasksStart(f.outsider.client as unknown as TBrowserClient, f.projectId);
    expect(start.rows).toEqual([]);
    expect(Object.values(start.columns).every((column) => column.exhausted && column.last === null)).toBe(true);
    expect(start.table).toEqual({ seq: null, exhausted: true });
  });
});

describe("readTaskCounts", () => {
  const as = (member: { client: unknown }) => member.client as TBrowserClient;

  it("counts every column exactly for any member, in one call", async () => {
    const expected = { inbox: COLUMN_PAGE_SIZE + 10, assigned: 0, in_progress: 0, review: 0, done: 3, blocked: 0 };
    expect(await readTaskCounts(as(f.viewer), f.projectId)).toEqual(expected);
    expect(await readTaskCounts(as(f.owner), f.projectId)).toEqual(expected);
  });

  it("counts nothing for someone who is not a member, and refuses the anon key", async () => {
    expect(await readTaskCounts(as(f.outsider), f.projectId)).toEqual({
      inbox: 0,
      assigned: 0,
      in_progress: 0,
      review: 0,
      done: 0,
      blocked: 0,
    });
    // The outsider's own project counts as theirs.
    expect((await readTaskCounts(as(f.outsider), f.otherProjectId)).inbox).toBe(1);
    await expect(readTaskCounts(anonClient() as unknown as TBrowserClient, f.projectId)).rejects.toThrow(
      /Could not count the tasks: permission denied/,
    );
  });
});
