import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, startRealtimeTestStack, subscribeChannel, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TChange = RealtimePostgresChangesPayload<Record<string, unknown>>;
type TSystem = { extension: string; status: string; message: string; channel: string };

let rt: TRealtimeTestStack;

beforeAll(async () => {
  rt = await startRealtimeTestStack("changes");
  await rt.sql.query(`
    create table public.rt_items (
      id bigint generated always as identity primary key,
      title text not null,
      done boolean not null default false,
      score numeric,
      ratio float8,
      tags text[],
      meta jsonb,
      owner uuid,
      created_at timestamptz not null default now(),
      due date,
      local_at timestamp
    );
    alter table public.rt_items replica identity full;
    create table public.rt_plain (id int primary key, note text);
    create table public.rt_hidden (id int primary key, note text);
    create table public.rt_nopk (note text);
    alter publication supabase_realtime add table public.rt_items, public.rt_plain, public.rt_nopk;
  `);
});

afterAll(async () => {
  await rt?.stop();
});

/** Reads a row the way to_jsonb renders it, which is what hosted Realtime sends. */
async function rowJson(table: string, id: number | string): Promise<Record<string, unknown>> {
  const { rows } = await rt.sql.query(`select to_jsonb(t) as j from public.${table} t where id = $1`, [id]);
  return rows[0].j as Record<string, unknown>;
}

describe("postgres_changes", () => {
  it("delivers an INSERT whose record equals the row as Postgres renders it in JSON", async () => {
    const got: TChange[] = [];
    const systems: TSystem[] = [];
    const client = rt.client();
    const channel = client
      .channel("items-insert")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items" }, (p) => got.push(p))
      .on("system", {}, (p: TSystem) => systems.push(p));
    await subscribeChannel(channel);
    await waitUntil(() => systems.length > 0, "the postgres_changes system message");
    expect(systems[0]).toEqual({
      extension: "postgres_changes",
      status: "ok",
      message: "Subscribed to PostgreSQL",
      channel: "items-insert",
    });

    const { rows } = await rt.sql.query(
      `insert into public.rt_items (title, done, score, ratio, tags, meta, owner, due, local_at)
       values ('alpha', true, 12.50, 0.25, '{a,"b c",NULL}', '{"k":[1,{"x":null}]}', gen_random_uuid(), '2026-01-02', '2026-01-02 03:04:05.678')
       returning id`,
    );
    await waitUntil(() => got.length === 1, "the INSERT event");
    const change = got[0] as TChange;
    expect(change.eventType).toBe("INSERT");
    expect(change.schema).toBe("public");
    expect(change.table).toBe("rt_items");
    expect(change.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(change.errors).toBeNull();
    expect(change.new).toEqual(await rowJson("rt_items", rows[0].id));
    expect(change.new).toMatchObject({ title: "alpha", done: true, score: 12.5, tags: ["a", "b c", null], meta: { k: [1, { x: null }] } });
    expect(change.old).toEqual({});
  });

  it("delivers UPDATE and DELETE with the full old row when replica identity is full", async () => {
    const got: TChange[] = [];
    const channel = rt
      .client()
      .channel("items-all")
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_items" }, (p) => got.push(p));
    await subscribeChannel(channel);
    const { rows } = await rt.sql.query("insert into public.rt_items (title) values ('before') returning id");
    const id = rows[0].id as string;
    const before = await rowJson("rt_items", id);
    await rt.sql.query("update public.rt_items set title = 'after', done = true where id = $1", [id]);
    const after = await rowJson("rt_items", id);
    await rt.sql.query("delete from public.rt_items where id = $1", [id]);
    await waitUntil(() => got.length === 3, "INSERT, UPDATE and DELETE events");
    expect(got.map((c) => c.eventType)).toEqual(["INSERT", "UPDATE", "DELETE"]);
    expect(got[1]?.new).toEqual(after);
    expect(got[1]?.old).toEqual(before);
    expect(got[2]?.new).toEqual({});
    expect(got[2]?.old).toEqual(after);
  });

  it("sends only the primary key as old record when replica identity is default", async () => {
    const got: TChange[] = [];
    const channel = rt
      .client()
      .channel("plain-all")
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_plain" }, (p) => got.push(p));
    await subscribeChannel(channel);
    await rt.sql.query("insert into public.rt_plain values (100, 'x')");
    await rt.sql.query("update public.rt_plain set note = 'y' where id = 100");
    await rt.sql.query("delete from public.rt_plain where id = 100");
    await waitUntil(() => got.length === 3, "three events on rt_plain");
    expect(got[1]).toMatchObject({ eventType: "UPDATE", new: { id: 100, note: "y" }, old: { id: 100 } });
    expect(got[2]).toMatchObject({ eventType: "DELETE", new: {}, old: { id: 100 } });
    expect(Object.keys(got[2]?.old ?? {})).toEqual(["id"]);
  });

  it("applies eq and in filters and fires only the bindings whose ids the server sent", async () => {
    const eqGot: TChange[] = [];
    const inGot: TChange[] = [];
    const channel = rt
      .client()
      .channel("filters")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_items", filter: "title=eq.wanted" }, (p) => eqGot.push(p))
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_plain", filter: "id=in.(201,203)" }, (p) => inGot.push(p));
    await subscribeChannel(channel);
    await rt.sql.query("insert into public.rt_items (title) values ('unwanted'), ('wanted'), ('also unwanted')");
    await rt.sql.query("insert into public.rt_plain values (201, 'a'), (202, 'b'), (203, 'c'), (204, 'd')");
    await rt.sql.query("insert into public.rt_plain values (299, 'end marker')");
    await waitUntil(() => inGot.length >= 2, "the in-filtered events");
    await sleep(200);
    expect(eqGot.map((c) => (c.new as Record<string, unknown>).title)).toEqual(["wanted"]);
    expect(inGot.map((c) => (c.new as Record<string, unknown>).id)).toEqual([201, 203]);
  });

  it("produces nothing for a table that is not in the publication and says so in a system message", async () => {
    const hidden: TChange[] = [];
    const plain: TChange[] = [];
    const systems: TSystem[] = [];
    const hiddenChannel = rt
      .client()
      .channel("hidden")
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_hidden" }, (p) => hidden.push(p))
      .on("system", {}, (p: TSystem) => systems.push(p));
    const plainChannel = rt
      .client()
      .channel("control")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_plain" }, (p) => plain.push(p));
    await subscribeChannel(hiddenChannel);
    await subscribeChannel(plainChannel);
    await waitUntil(() => systems.length > 0, "the system message");
    expect(systems[0]?.status).toBe("error");
    expect(systems[0]?.message).toBe(
      "Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: *, schema: public, table: rt_hidden, filters: [], select: nil]",
    );
    await rt.sql.query("insert into public.rt_hidden values (1, 'secret')");
    await rt.sql.query("insert into public.rt_plain values (300, 'after hidden')");
    // WAL order: had the hidden insert been sent, it would have arrived before the control event.
    await waitUntil(() => plain.length === 1, "the control event");
    await sleep(200);
    expect(hidden).toEqual([]);
  });

  it("reports a table that does not exist with a system error instead of failing the join", async () => {
    const systems: TSystem[] = [];
    const channel = rt
      .client()
      .channel("missing")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "no_such_table" }, () => {})
      .on("system", {}, (p: TSystem) => systems.push(p));
    await subscribeChannel(channel);
    await waitUntil(() => systems.length > 0, "the system message");
    expect(systems[0]).toMatchObject({ extension: "postgres_changes", status: "error", channel: "missing" });
    expect(systems[0]?.message).toContain("table: no_such_table");
  });

  it("answers an INSERT into a table without primary key with hosted's Error 400 payload", async () => {
    const got: TChange[] = [];
    await subscribeChannel(
      rt
        .client()
        .channel("nopk")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_nopk" }, (p) => got.push(p)),
    );
    await rt.sql.query("insert into public.rt_nopk values ('hello')");
    await waitUntil(() => got.length === 1, "the error event");
    expect(got[0]).toMatchObject({ eventType: "INSERT", new: {}, errors: ["Error 400: Bad Request, no primary key"] });
  });

  it("delivers changes of every published table of a schema when the binding names no table", async () => {
    const got: TChange[] = [];
    await subscribeChannel(
      rt
        .client()
        .channel("schema-wide")
        .on("postgres_changes", { event: "INSERT", schema: "public" }, (p) => got.push(p)),
    );
    await rt.sql.query("insert into public.rt_items (title) values ('schema-wide')");
    await rt.sql.query("insert into public.rt_hidden values (2, 'still hidden')");
    await rt.sql.query("insert into public.rt_plain values (400, 'schema-wide')");
    await waitUntil(() => got.length === 2, "inserts from both published tables");
    await sleep(100);
    expect(got.map((c) => c.table)).toEqual(["rt_items", "rt_plain"]);
  });
});
