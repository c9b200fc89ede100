import { createProjectFixture, dropProjectFixture, sqlPool, type TProjectFixture } from "@mission-control/supabase/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { COLUMN_PAGE_SIZE, readTasksStart, TABLE_START_SIZE } from "./read-task-pages.ts";

// readTasksStart: the Tasks page's first screen as the server reads it for the signed-in member.

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
  it("reads each column's first page in board order and the latest changed tasks for the table", async () => {
    const start = await readTasksStart(f.viewer.client as unknown as TBrowserClient, f.projectId);
    expect(start.projectId).toBe(f.projectId);
    expect(start.columns.inbox.last).not.toBeNull();
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
