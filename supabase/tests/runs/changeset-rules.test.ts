import { CHANGESET_STATUSES } from "@mission-control/shared/schemas";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { queueTestRun, sha256 } from "../../testing/run-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

type TChangesetStatus = (typeof CHANGESET_STATUSES)[number];

let sql: pg.Pool;
let f: TProjectFixture;
const inState = new Map<TChangesetStatus, string>();
let runId: string;
let eventId: string;
let reviewId: string;
let fileId: string;

/** Inserts a changeset with one modified file (and a run of its own) as the superuser; returns the changeset's id. */
async function insertChangeset(): Promise<string> {
  const run = await queueTestRun(sql, f.projectId, { mode: "implement" });
  const { rows } = await sql.query<{ id: string }>(
    "insert into public.changesets (project_id, run_id, agent_key, summary, files_count) values ($1, $2, 'builder', 'Rules', 1) returning id",
    [f.projectId, run],
  );
  const id = rows[0]?.id ?? "";
  await sql.query(
    `insert into public.changeset_files (project_id, changeset_id, position, path, change_kind, base_sha256, base_content, new_content, new_sha256, unified_diff)
     values ($1, $2, 0, 'src/a.ts', 'modify', $3, 'old', 'new', $4, '-old\n+new')`,
    [f.projectId, id, sha256("old"), sha256("new")],
  );
  return id;
}

/** Walks a fresh changeset to a status by the superuser's updates along allowed transitions. */
async function changesetIn(status: TChangesetStatus): Promise<string> {
  const id = await insertChangeset();
  if (status === "proposed") return id;
  const first = status === "rolled_back" ? "applied" : status;
  await sql.query("update public.changesets set status = $2, error = case when $2 = 'failed' then 'disk full' end where id = $1", [
    id,
    first,
  ]);
  if (status === "rolled_back") await sql.query("update public.changesets set status = 'rolled_back' where id = $1", [id]);
  return id;
}

async function statusOf(id: string): Promise<{ status: string; seq: string } | undefined> {
  const { rows } = await sql.query<{ status: string; seq: string }>("select status, seq::text from public.changesets where id = $1", [id]);
  return rows[0];
}

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("changeset-rules");
  for (const status of CHANGESET_STATUSES) inState.set(status, await changesetIn(status));
  runId = await queueTestRun(sql, f.projectId);
  const proposed = inState.get("proposed") ?? "";
  eventId =
    (
      await sql.query<{ id: string }>(
        "insert into public.ai_run_events (project_id, run_id, kind, summary, data) values ($1, $2, 'message', 'original', '{\"text\": \"hi\"}') returning id",
        [f.projectId, runId],
      )
    ).rows[0]?.id ?? "";
  reviewId =
    (
      await sql.query<{ id: string }>(
        "insert into public.changeset_reviews (project_id, changeset_id, kind, comment) values ($1, $2, 'nit', 'original') returning id",
        [f.projectId, proposed],
      )
    ).rows[0]?.id ?? "";
  fileId = (await sql.query<{ id: string }>("select id from public.changeset_files where changeset_id = $1", [proposed])).rows[0]?.id ?? "";
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

function idIn(status: TChangesetStatus): string {
  const id = inState.get(status);
  if (!id) throw new Error(`no changeset in ${status}`);
  return id;
}

const ALLOWED = new Set([
  "proposed->applied",
  "proposed->rejected",
  "proposed->revision_requested",
  "proposed->failed",
  "proposed->expired",
  "applied->rolled_back",
]);
const pairs = CHANGESET_STATUSES.flatMap((from) => CHANGESET_STATUSES.filter((to) => to !== from).map((to) => ({ from, to })));
const forbidden = pairs.filter(({ from, to }) => !ALLOWED.has(`${from}->${to}`));

describe("the changeset state machine", () => {
  it("starts every changeset of the fixture in the state it is named after", async () => {
    for (const status of CHANGESET_STATUSES) expect((await statusOf(idIn(status)))?.status).toBe(status);
  });

  it.each(forbidden)("refuses $from -> $to by the service role and leaves the changeset as it was", async ({ from, to }) => {
    const id = idIn(from);
    const before = await statusOf(id);
    const { error } = await serviceClient().from("changesets").update({ status: to }).eq("id", id);
    expect(error?.code).toBe("23514");
    expect(await statusOf(id)).toEqual(before);
  });

  it.each(pairs.slice(0, 12))("refuses $from -> $to by an operator's direct update with 42501", async ({ from, to }) => {
    const id = idIn(from);
    const { error } = await f.operator.client.from("changesets").update({ status: to }).eq("id", id);
    expect(error?.code).toBe("42501");
    expect((await statusOf(id))?.status).toBe(from);
  });

  it("stamps applied_at and rolled_back_at, and keeps a final changeset as it ended", async () => {
    const { rows } = await sql.query("select applied_at, rolled_back_at from public.changesets where id = $1", [idIn("rolled_back")]);
    expect(rows[0]?.applied_at).not.toBeNull();
    expect(rows[0]?.rolled_back_at).not.toBeNull();
    for (const status of ["rejected", "rolled_back", "expired"] as const) {
      const { error } = await serviceClient().from("changesets").update({ error: "rewritten" }).eq("id", idIn(status));
      expect(error?.code, status).toBe("23514");
    }
  });

  it("keeps a changeset's summary, risk, run and totals, and records applied paths only when it is applied", async () => {
    const id = idIn("proposed");
    for (const change of [{ summary: "other" }, { risk: "high" }, { additions: 9 }, { run_id: runId }, { applied_paths: ["src/a.ts"] }]) {
      const { error } = await serviceClient().from("changesets").update(change).eq("id", id);
      expect(error?.code, JSON.stringify(change)).toBe("23514");
    }
    const applied = await changesetIn("proposed");
    const ok = await serviceClient()
      .from("changesets")
      .update({ status: "applied", applied_paths: ["src/a.ts"] })
      .eq("id", applied);
    expect(ok.error).toBeNull();
  });

  it("starts every new changeset proposed and unapplied", async () => {
    const run = await queueTestRun(sql, f.projectId, { mode: "implement" });
    const { error } = await serviceClient()
      .from("changesets")
      .insert({ project_id: f.projectId, run_id: run, agent_key: "builder", summary: "x", status: "applied" });
    expect(error?.code).toBe("23514");
  });
});

describe("changeset files", () => {
  it("refuses any change of a file's content, even by the superuser", async () => {
    for (const change of [{ new_content: "evil" }, { path: "src/b.ts" }, { base_sha256: sha256("x") }, { unified_diff: "" }]) {
      const { error } = await serviceClient().from("changeset_files").update(change).eq("id", fileId);
      expect(error?.code, JSON.stringify(change)).toBe("23514");
    }
    await expect(sql.query("update public.changeset_files set new_content = 'evil' where id = $1", [fileId])).rejects.toMatchObject({
      code: "23514",
    });
    const { rows } = await sql.query("select new_content, decision from public.changeset_files where id = $1", [fileId]);
    expect(rows[0]).toEqual({ new_content: "new", decision: "pending" });
  });

  it("lets a file's decision move once, from pending", async () => {
    const file = (await sql.query<{ id: string }>("select id from public.changeset_files where changeset_id = $1", [idIn("expired")]))
      .rows[0]?.id;
    const accepted = await serviceClient().from("changeset_files").update({ decision: "accepted" }).eq("id", file);
    expect(accepted.error).toBeNull();
    const again = await serviceClient().from("changeset_files").update({ decision: "rejected" }).eq("id", file);
    expect(again.error?.code).toBe("23514");
  });

  it("refuses removing a file of a changeset, even by the superuser", async () => {
    const del = await serviceClient().from("changeset_files").delete().eq("id", fileId);
    expect(del.error?.code).toBe("42501");
    await expect(sql.query("delete from public.changeset_files where id = $1", [fileId])).rejects.toMatchObject({ code: "42501" });
    await expect(sql.query("truncate public.changeset_files")).rejects.toMatchObject({ code: "42501" });
  });

  it.each([
    ["../outside.txt", "a path that leaves the workspace"],
    ["/etc/passwd", "an absolute path"],
    ["C:/windows/x", "a drive letter"],
    ["src/../../x", "a .. segment"],
    [".mission-control/journal.json", "the executor's own state"],
    ["", "an empty path"],
  ])("refuses %s (%s)", async (path) => {
    await expect(
      sql.query(
        `insert into public.changeset_files (project_id, changeset_id, position, path, change_kind, new_content, new_sha256)
         values ($1, $2, 40, $3, 'add', 'x', $4)`,
        [f.projectId, idIn("proposed"), path, sha256("x")],
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });

  it.each([
    ["add", "with a base", `'${sha256("a")}', 'a', 'b', '${sha256("b")}'`],
    ["modify", "without base content", `'${sha256("a")}', null, 'b', '${sha256("b")}'`],
    ["delete", "with new content", `'${sha256("a")}', 'a', 'b', '${sha256("b")}'`],
    ["modify", "with a sha that is not hex", `'xyz', 'a', 'b', '${sha256("b")}'`],
  ])("refuses a file that is %s %s", async (kind, _why, values) => {
    await expect(
      sql.query(
        `insert into public.changeset_files (project_id, changeset_id, position, path, change_kind, base_sha256, base_content, new_content, new_sha256)
         values ($1, $2, 41, 'src/kind.ts', $3, ${values})`,
        [f.projectId, idIn("proposed"), kind],
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });
});

describe("append-only run tables", () => {
  const TABLES = [
    { table: "ai_run_events", column: "summary", id: () => eventId },
    { table: "changeset_reviews", column: "comment", id: () => reviewId },
  ] as const;

  it.each(TABLES)("$table refuses an update and a delete by the service role with 42501", async ({ table, column, id }) => {
    const update = await serviceClient()
      .from(table)
      .update({ [column]: "changed" })
      .eq("id", id());
    expect(update.error?.code).toBe("42501");
    const del = await serviceClient().from(table).delete().eq("id", id());
    expect(del.error?.code).toBe("42501");
    const { rows } = await sql.query(`select ${column} as v from public.${table} where id = $1`, [id()]);
    expect(rows).toEqual([{ v: "original" }]);
  });

  it.each(TABLES)("$table refuses update, delete and truncate by the superuser", async ({ table, column, id }) => {
    await expect(sql.query(`update public.${table} set ${column} = 'changed' where id = $1`, [id()])).rejects.toMatchObject({
      code: "42501",
    });
    await expect(sql.query(`delete from public.${table} where id = $1`, [id()])).rejects.toMatchObject({ code: "42501" });
    await expect(sql.query(`truncate public.${table} cascade`)).rejects.toMatchObject({ code: "42501" });
  });

  it("still lets a whole project go, with its runs, timelines, changesets, files and reviews", async () => {
    const other = await createProjectFixture("changeset-rules-drop");
    const run = await queueTestRun(sql, other.projectId, { mode: "implement" });
    const { rows } = await sql.query<{ id: string }>(
      "insert into public.changesets (project_id, run_id, agent_key, summary) values ($1, $2, 'builder', 'doomed') returning id",
      [other.projectId, run],
    );
    await sql.query(
      `insert into public.changeset_files (project_id, changeset_id, position, path, change_kind, new_content, new_sha256) values ($1, $2, 0, 'a', 'add', 'x', $3)`,
      [other.projectId, rows[0]?.id, sha256("x")],
    );
    await sql.query("insert into public.changeset_reviews (project_id, changeset_id, kind, comment) values ($1, $2, 'nit', 'bye')", [
      other.projectId,
      rows[0]?.id,
    ]);
    const { error } = await serviceClient().from("projects").delete().eq("id", other.projectId);
    expect(error).toBeNull();
    for (const table of ["ai_runs", "ai_run_events", "changesets", "changeset_files", "changeset_reviews"]) {
      const left = await sql.query(`select count(*)::int as c from public.${table} where project_id = $1`, [other.projectId]);
      expect(left.rows[0]?.c, table).toBe(0);
    }
    await dropProjectFixture(other);
  });
});
