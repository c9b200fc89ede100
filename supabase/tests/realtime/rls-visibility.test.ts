import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, startRealtimeTestStack, subscribeChannel, type TRealtimeTestStack, waitUntil } from "../../testing/realtime-test-stack.ts";

type TChange = RealtimePostgresChangesPayload<Record<string, unknown>>;
type TSystem = { extension: string; status: string; message: string; channel: string };

let rt: TRealtimeTestStack;
let userA: { id: string; token: string };
let userB: { id: string; token: string };

beforeAll(async () => {
  rt = await startRealtimeTestStack("rls");
  await rt.sql.query(`
    create table public.rt_notes (
      id bigint generated always as identity primary key,
      owner uuid not null,
      body text not null
    );
    alter table public.rt_notes enable row level security;
    alter table public.rt_notes replica identity full;
    create policy "Owners can read their notes" on public.rt_notes for select to authenticated using (owner = (select auth.uid()));
    revoke all on public.rt_notes from anon;
    create table public.rt_marks (id int primary key);
    create table public.rt_late (id int primary key, owner uuid not null);
    alter publication supabase_realtime add table public.rt_notes, public.rt_marks, public.rt_late;
  `);
  userA = await rt.createUser();
  userB = await rt.createUser();
});

afterAll(async () => {
  await rt?.stop();
});

function bodies(changes: TChange[]): unknown[] {
  return changes.map((c) => (c.new as Record<string, unknown>).body ?? (c.old as Record<string, unknown>).id);
}

/** Inserts a marker row in an RLS-free table and waits for `seen` to grow: WAL order means earlier changes were dispatched. */
async function flush(seen: () => number): Promise<void> {
  const before = seen();
  await rt.sql.query("insert into public.rt_marks values ((select coalesce(max(id), 0) + 1 from public.rt_marks))");
  await waitUntil(() => seen() > before, "the marker event");
  await sleep(50);
}

describe("row level security", () => {
  it("hides another user's rows and gives the service role every row", async () => {
    const a: TChange[] = [];
    const b: TChange[] = [];
    const service: TChange[] = [];
    const marks: TChange[] = [];
    const spec = { event: "INSERT", schema: "public", table: "rt_notes" } as const;
    await subscribeChannel((await rt.userClient(() => userA.token)).channel("notes-a").on("postgres_changes", spec, (p) => a.push(p)));
    await subscribeChannel((await rt.userClient(() => userB.token)).channel("notes-b").on("postgres_changes", spec, (p) => b.push(p)));
    await subscribeChannel(
      rt
        .serviceClient()
        .channel("notes-service")
        .on("postgres_changes", spec, (p) => service.push(p)),
    );
    await subscribeChannel(
      rt
        .client()
        .channel("marks")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_marks" }, (p) => marks.push(p)),
    );

    await rt.sql.query("insert into public.rt_notes (owner, body) values ($1, 'from B')", [userB.id]);
    await rt.sql.query("insert into public.rt_notes (owner, body) values ($1, 'from A')", [userA.id]);
    await waitUntil(() => service.length === 2, "both inserts for the service role");
    await flush(() => marks.length);
    expect(bodies(a)).toEqual(["from A"]);
    expect(bodies(b)).toEqual(["from B"]);
    expect(bodies(service)).toEqual(["from B", "from A"]);
  });

  it("sends a DELETE on an RLS table with only the primary key, to subscribers who could not read the row", async () => {
    const a: TChange[] = [];
    await subscribeChannel(
      (await rt.userClient(() => userA.token))
        .channel("notes-a-delete")
        .on("postgres_changes", { event: "DELETE", schema: "public", table: "rt_notes" }, (p) => a.push(p)),
    );
    const { rows } = await rt.sql.query("insert into public.rt_notes (owner, body) values ($1, 'B secret') returning id", [userB.id]);
    await rt.sql.query("delete from public.rt_notes where id = $1", [rows[0].id]);
    await waitUntil(() => a.length === 1, "the DELETE event");
    expect(a[0]?.eventType).toBe("DELETE");
    expect(a[0]?.old).toEqual({ id: Number(rows[0].id) });
  });

  it("sends nothing to anon when anon has no SELECT privilege on the table", async () => {
    const anon: TChange[] = [];
    const marks: TChange[] = [];
    await subscribeChannel(
      rt
        .client()
        .channel("notes-anon")
        .on("postgres_changes", { event: "*", schema: "public", table: "rt_notes" }, (p) => anon.push(p)),
    );
    await subscribeChannel(
      rt
        .client()
        .channel("marks-anon")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_marks" }, (p) => marks.push(p)),
    );
    const { rows } = await rt.sql.query("insert into public.rt_notes (owner, body) values ($1, 'not for anon') returning id", [userA.id]);
    await rt.sql.query("delete from public.rt_notes where id = $1", [rows[0].id]);
    await flush(() => marks.length);
    expect(anon).toEqual([]);
  });

  it("re-evaluates visibility with the token sent in an access_token event", async () => {
    const got: TChange[] = [];
    const systems: TSystem[] = [];
    let token = userA.token;
    const client = await rt.userClient(() => token);
    await subscribeChannel(
      client
        .channel("notes-switch")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_notes" }, (p) => got.push(p))
        .on("system", {}, (p: TSystem) => systems.push(p)),
    );
    await waitUntil(() => systems.length === 1, "the first system message");
    token = userB.token;
    await client.realtime.setAuth(token);
    await waitUntil(() => systems.length === 2, "the system message after the token change");
    await rt.sql.query("insert into public.rt_notes (owner, body) values ($1, 'B after switch')", [userB.id]);
    await waitUntil(() => got.length === 1, "B's row after switching to B's token");
    expect(bodies(got)).toEqual(["B after switch"]);
  });

  it("closes the channel with a system error when an expired access token arrives", async () => {
    const systems: TSystem[] = [];
    const statuses: string[] = [];
    let token = userA.token;
    const client = await rt.userClient(() => token);
    const channel = client
      .channel("notes-expire")
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_notes" }, () => {})
      .on("system", {}, (p: TSystem) => systems.push(p));
    channel.subscribe((status) => statuses.push(status));
    await waitUntil(() => statuses.includes("SUBSCRIBED") && systems.length === 1, "the subscription");
    token = await rt.signToken({ role: "authenticated", sub: userA.id, aud: "authenticated" }, -10);
    await client.realtime.setAuth(token);
    await waitUntil(() => statuses.includes("CLOSED"), "the channel to close");
    expect(systems[1]).toMatchObject({ extension: "system", status: "error", channel: "notes-expire" });
    expect(systems[1]?.message).toMatch(/^Token has expired \d+ seconds ago$/);
  });

  it("applies RLS enabled on a table after its first changes were streamed", async () => {
    const got: TChange[] = [];
    await subscribeChannel(
      (await rt.userClient(() => userA.token))
        .channel("late")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_late" }, (p) => got.push(p)),
    );
    await rt.sql.query("insert into public.rt_late values (1, $1)", [userB.id]);
    await waitUntil(() => got.length === 1, "the insert before RLS");
    await rt.sql.query(`
      alter table public.rt_late enable row level security;
      create policy "Owners can read their rows" on public.rt_late for select to authenticated using (owner = (select auth.uid()));
    `);
    await rt.sql.query("insert into public.rt_late values (2, $1)", [userB.id]);
    await rt.sql.query("insert into public.rt_late values (3, $1)", [userA.id]);
    await waitUntil(() => got.length === 2, "A's own insert after RLS");
    await sleep(100);
    expect(got.map((c) => (c.new as Record<string, unknown>).id)).toEqual([1, 3]);
  });

  it("checks a burst of changes together, delivers each subscriber its rows in commit order, and survives a policy that raises", async () => {
    await rt.sql.query(`
      create table public.rt_burst (id int primary key, owner uuid not null, body text not null);
      alter table public.rt_burst enable row level security;
      -- 'boom' makes the policy raise: the batch fails, and only that row is left out.
      create policy "Owners can read their rows" on public.rt_burst for select to authenticated
        using (case when body = 'boom' then (1 / (length(body) - 4)) = 1 else owner = (select auth.uid()) end);
      alter publication supabase_realtime add table public.rt_burst;
    `);
    const a: number[] = [];
    const marks: number[] = [];
    await subscribeChannel(
      (await rt.userClient(() => userA.token))
        .channel("burst-a")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_burst" }, (p) => a.push(Number(p.new.id)))
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_marks" }, (p) => a.push(-Number(p.new.id))),
    );
    await subscribeChannel(
      rt
        .client()
        .channel("burst-marks")
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_marks" }, (p) => marks.push(Number(p.new.id))),
    );
    const { rows } = await rt.sql.query<{ next: number }>("select coalesce(max(id), 0) + 1 as next from public.rt_marks");
    const firstMark = rows[0]?.next ?? 1;

    // One connection, queries sent without waiting: they commit in the order written. Rows of A and
    // B and RLS-free markers interleave; then one transaction of many rows, one of which makes the
    // policy raise.
    const client = await rt.sql.connect();
    const expected: number[] = [];
    try {
      const writes: Promise<unknown>[] = [];
      for (let i = 1; i <= 120; i++) {
        const owner = i % 3 === 0 ? userB.id : userA.id;
        writes.push(client.query("insert into public.rt_burst values ($1, $2, $3)", [i, owner, `row ${i}`]));
        if (owner === userA.id) expected.push(i);
        if (i % 20 === 0) {
          const mark = firstMark + i / 20 - 1;
          writes.push(client.query("insert into public.rt_marks values ($1)", [mark]));
          expected.push(-mark);
        }
      }
      writes.push(
        client.query(
          "insert into public.rt_burst select n, $1, case when n = 170 then 'boom' else 'bulk ' || n end from generate_series(121, 220) n",
          [userA.id],
        ),
      );
      for (let i = 121; i <= 220; i++) if (i !== 170) expected.push(i);
      const lastMark = firstMark + 6;
      writes.push(client.query("insert into public.rt_marks values ($1)", [lastMark]));
      expected.push(-lastMark);
      await Promise.all(writes);
      await waitUntil(() => marks.includes(lastMark), "the last marker");
      await waitUntil(() => a.includes(-lastMark), "A's last marker");
    } finally {
      client.release();
    }
    expect(a).toEqual(expected);
  });
});
