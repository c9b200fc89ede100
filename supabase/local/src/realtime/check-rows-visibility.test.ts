import crypto from "node:crypto";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlPool, stackInfo } from "../../../testing/stack-clients.ts";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { checkRowsVisibility, type TVisibilityAsk, type TVisibilityRow } from "./check-rows-visibility.ts";
import { loadRelationInfo, type TRelationInfo } from "./load-relation-info.ts";

const log = pino({ level: "silent" });
const tag = crypto.randomUUID().slice(0, 8);
const notes = `rt_vis_notes_${tag}`;
const pairs = `rt_vis_pairs_${tag}`;

let sql: pg.Pool;
/** Connects as `authenticator` (bootstrap.sql), as the gateway's API pool does. */
let apiPool: pg.Pool;
let notesInfo: TRelationInfo;
let pairsInfo: TRelationInfo;

async function relationInfo(table: string): Promise<TRelationInfo> {
  const { rows } = await sql.query<{ oid: number; columns: Array<{ name: string; typeOid: number }> }>(
    `select c.oid::int as oid, json_agg(json_build_object('name', a.attname, 'typeOid', a.atttypid::int) order by a.attnum) as columns
       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.oid = $1::regclass group by c.oid`,
    [`public.${table}`],
  );
  const row = rows[0] as (typeof rows)[number];
  return loadRelationInfo(sql, {
    oid: row.oid,
    schema: "public",
    name: table,
    replicaIdentity: "default",
    columns: row.columns.map((c) => ({ ...c, isKey: false })),
  });
}

function user(): { id: string; identity: TRequestIdentity } {
  const id = crypto.randomUUID();
  return { id, identity: { role: "authenticated", claims: { role: "authenticated", sub: id, aud: "authenticated" } } };
}

/** Inserts one row into notes (id, owner, body) in its own transaction; returns the row as pgoutput would (text values) with its xid. */
async function insertNote(db: pg.Pool | pg.PoolClient, owner: string, body: string): Promise<TVisibilityRow> {
  const { rows } = await db.query<{ id: string; xid: string }>(
    `insert into public.${notes} (owner, body) values ($1, $2) returning id::text, (pg_current_xact_id()::text::bigint & 4294967295)::text as xid`,
    [owner, body],
  );
  const row = rows[0] as (typeof rows)[number];
  return { info: notesInfo, tuple: [row.id, owner, body], xid: Number(row.xid) };
}

const ask = (identity: TRequestIdentity, rows: number[]): TVisibilityAsk => ({ key: JSON.stringify(identity), identity, rows });

beforeAll(async () => {
  sql = sqlPool();
  const url = new URL(stackInfo().databaseUrl);
  url.username = "authenticator";
  url.password = "authenticator";
  apiPool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  await sql.query(`
    create table public.${notes} (id bigint generated always as identity primary key, owner uuid not null, body text not null);
    alter table public.${notes} enable row level security;
    grant select on public.${notes} to authenticated;
    -- 'boom' makes the policy raise for that row only.
    create policy "Owners can read their notes" on public.${notes} for select to authenticated
      using (case when body = 'boom' then (1 / (length(body) - 4)) = 1 else owner = (select auth.uid()) end);
    create table public.${pairs} (k text, n int, owner uuid not null, primary key (k, n));
    alter table public.${pairs} enable row level security;
    grant select on public.${pairs} to authenticated;
    create policy "Owners can read their pairs" on public.${pairs} for select to authenticated using (owner = (select auth.uid()));
  `);
  notesInfo = await relationInfo(notes);
  pairsInfo = await relationInfo(pairs);
});

afterAll(async () => {
  await sql?.query(`drop table if exists public.${notes}, public.${pairs}`);
  await apiPool?.end();
  await sql?.end();
});

describe("checkRowsVisibility", () => {
  it("answers each identity for its own rows only, in the order asked, across tables and composite keys", async () => {
    const a = user();
    const b = user();
    const rows: TVisibilityRow[] = [
      await insertNote(sql, a.id, "a1"),
      await insertNote(sql, b.id, "b1"),
      await insertNote(sql, a.id, "a2"),
    ];
    const pair = await sql.query<{ xid: string }>(
      `insert into public.${pairs} values ('x', 1, $1) returning (pg_current_xact_id()::text::bigint & 4294967295)::text as xid`,
      [b.id],
    );
    rows.push({ info: pairsInfo, tuple: ["x", "1", b.id], xid: Number(pair.rows[0]?.xid) });

    const answers = await checkRowsVisibility(apiPool, log, rows, [ask(a.identity, [2, 1, 0, 3]), ask(b.identity, [0, 1, 3])]);

    expect(answers.get(JSON.stringify(a.identity))).toEqual([true, false, true, false]);
    expect(answers.get(JSON.stringify(b.identity))).toEqual([false, true, true]);
  });

  it("keeps answers apart for more identities than one transaction holds", async () => {
    const users = Array.from({ length: 30 }, user);
    const rows = await Promise.all(users.map((u, i) => insertNote(sql, u.id, `note ${i}`)));
    const all = rows.map((_, i) => i);

    const answers = await checkRowsVisibility(
      apiPool,
      log,
      rows,
      users.map((u) => ask(u.identity, all)),
    );

    for (const [i, u] of users.entries()) expect(answers.get(JSON.stringify(u.identity))).toEqual(all.map((j) => j === i));
  });

  it("waits until the row's transaction is visible before answering", async () => {
    const a = user();
    const writer = await sql.connect();
    try {
      await writer.query("begin");
      const row = await insertNote(writer, a.id, "late");
      let answered = false;
      const pending = checkRowsVisibility(apiPool, log, [row], [ask(a.identity, [0])]).finally(() => {
        answered = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answered).toBe(false);
      await writer.query("commit");
      expect((await pending).get(JSON.stringify(a.identity))).toEqual([true]);
    } finally {
      // A no-op after the commit; after a failed expectation it keeps the open transaction out of the pool.
      await writer.query("rollback");
      writer.release();
    }
  });

  it("leaves out only the row whose policy raises, and still answers the rest of the batch", async () => {
    const a = user();
    const b = user();
    const rows = [
      await insertNote(sql, a.id, "fine 1"),
      await insertNote(sql, a.id, "boom"),
      await insertNote(sql, b.id, "fine 2"),
      await insertNote(sql, a.id, "fine 3"),
    ];

    const answers = await checkRowsVisibility(apiPool, log, rows, [ask(a.identity, [0, 1, 2, 3]), ask(b.identity, [0, 2, 3])]);

    expect(answers.get(JSON.stringify(a.identity))).toEqual([true, false, false, true]);
    expect(answers.get(JSON.stringify(b.identity))).toEqual([false, true, false]);
  });
});
