import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, insertTask, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, sqlPool } from "../../testing/stack-clients.ts";

// read_live_rows: the dashboard's batched reads (catch-up in one round trip). Security invoker:
// the rows are exactly those the same reads through REST return, RLS deciding.

let sql: pg.Pool;
let f: TProjectFixture;
let other: TProjectFixture;
const ids: string[] = [];

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("read-live");
  other = await createProjectFixture("read-live-other");
  for (let i = 1; i <= 5; i++) ids.push(await insertTask(sql, f.projectId, { title: `Batch task ${i}`, status: i % 2 ? "inbox" : "done" }));
  await insertTask(sql, other.projectId, { title: "Someone else's task" });
});

afterAll(async () => {
  await dropProjectFixture(f);
  await dropProjectFixture(other);
});

type TRow = { id: string; title: string; seq: number; project_id: string };

describe("read_live_rows", () => {
  it("answers each read in order, with the same rows as REST: filters, in-lists, newest first, seqBelow and limit", async () => {
    const reads = [
      { table: "tasks", eq: { project_id: f.projectId }, newestFirstBy: "seq", limit: 2 },
      { table: "tasks", eq: { project_id: f.projectId, status: "inbox" } },
      { table: "tasks", eq: {}, in: { column: "id", values: [ids[0], ids[4]] } },
      { table: "projects", eq: { id: f.projectId } },
    ];
    const { data, error } = await f.viewer.client.rpc("read_live_rows", { p_reads: reads });
    expect(error).toBeNull();
    const [latest, inbox, byId, projects] = data as TRow[][];
    const rest = await f.viewer.client.from("tasks").select("*").eq("project_id", f.projectId).order("seq", { ascending: false }).limit(2);
    expect(latest).toEqual(rest.data);
    expect(inbox?.map((t) => t.title).sort()).toEqual(["Batch task 1", "Batch task 3", "Batch task 5"]);
    expect(byId?.map((t) => t.id).sort()).toEqual([ids[0], ids[4]].sort());
    expect(projects?.map((p) => p.id)).toEqual([f.projectId]);

    const below = (latest?.[1]?.seq ?? 0) as number;
    const older = await f.viewer.client.rpc("read_live_rows", {
      p_reads: [{ table: "tasks", eq: { project_id: f.projectId }, newestFirstBy: "seq", seqBelow: below, limit: 10 }],
    });
    expect((older.data as TRow[][])[0]?.every((t) => t.seq < below)).toBe(true);
    expect((older.data as TRow[][])[0]).toHaveLength(3);
  });

  it("shows a member nothing of a project they are not in, and the anon key cannot call it", async () => {
    const { data, error } = await f.outsider.client.rpc("read_live_rows", {
      p_reads: [
        { table: "tasks", eq: { project_id: f.projectId } },
        { table: "tasks", eq: {}, in: { column: "id", values: ids } },
      ],
    });
    expect(error).toBeNull();
    expect(data).toEqual([[], []]);
    const anon = await anonClient().rpc("read_live_rows", { p_reads: [{ table: "tasks", eq: { project_id: f.projectId } }] });
    expect(anon.status).toBe(401);
  });

  it("answers 400 with what to change for bad input, and reads only the live tables", async () => {
    const cases: [unknown, string][] = [
      [{ table: "tasks" }, "JSON array of reads"],
      [[{ table: "provider_call_secrets" }], "only the live tables"],
      [[{ table: "pg_authid" }], "only the live tables"],
      [[{ table: "tasks", newestFirstBy: "title" }], "seq or created_at"],
      [[{ table: "tasks", limit: 0 }], "between 1 and 10000"],
      [[{ table: "tasks", eq: ["project_id"] }], "column: value"],
      [[{ table: "tasks", in: { column: "id" } }], '"in" of a read'],
      [Array.from({ length: 101 }, () => ({ table: "tasks" })), "at most 100"],
    ];
    for (const [reads, message] of cases) {
      const { error, status } = await f.owner.client.rpc("read_live_rows", { p_reads: reads as never });
      expect(status, JSON.stringify(reads).slice(0, 80)).toBe(400);
      expect(error?.message).toContain(message);
    }
    // An identifier is quoted, never spliced: a crafted column name is just an unknown column.
    const crafted = await f.owner.client.rpc("read_live_rows", { p_reads: [{ table: "tasks", eq: { "id = id or true --": "x" } }] });
    expect(crafted.status).toBe(400);
    expect(crafted.data).toBeNull();
  });
});
