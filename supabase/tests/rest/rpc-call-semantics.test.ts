import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// How PostgREST calls a function: Prefer tx=rollback and max-affected, a single unnamed parameter
// (json, text, bytea bodies), overloads resolved by the argument names, and counted set results.

let sql: pg.Pool;
let n: TRestFixtureNames;
const p = "rest_rpcsem";
const fns = {
  addOpen: `${p}_add_open`,
  dropBooks: `${p}_drop_books`,
  echoAny: `${p}_echo_any`,
  shout: `${p}_shout`,
  byteLength: `${p}_byte_length`,
  over: `${p}_over`,
  ambiguous: `${p}_ambiguous`,
  ready: `${p}_ready`,
};

beforeAll(async () => {
  sql = sqlPool();
  await dropOwnFunctions();
  n = await createRestFixtures(sql, p);
  await sql.query(`
    create function ${fns.addOpen}(body text) returns setof ${n.open} language sql volatile as $$ insert into ${n.open} (body) values (body) returning * $$;
    create function ${fns.dropBooks}(below int) returns setof ${n.books} language sql volatile as $$ delete from ${n.books} where id < below returning * $$;
    create function ${fns.echoAny}(json) returns json language sql immutable as 'select $1';
    create function ${fns.shout}(text) returns text language sql immutable as 'select upper($1)';
    create function ${fns.byteLength}(bytea) returns int language sql immutable as 'select octet_length($1)';
    create function ${fns.over}(a int) returns text language sql immutable as $$ select 'a' $$;
    create function ${fns.over}(a int, b int) returns text language sql immutable as $$ select 'a,b' $$;
    create function ${fns.over}(c text default '') returns text language sql immutable as $$ select 'c?' $$;
    create function ${fns.ambiguous}(a int, b int default 1) returns int language sql immutable as 'select 1';
    create function ${fns.ambiguous}(a int, c bigint default 1) returns int language sql immutable as 'select 2';
    create function ${fns.ready}() returns int language sql immutable as 'select 1';
  `);
  // All functions came in one transaction, so once the schema cache has the last one it has them all.
  // vi.waitFor rather than expect.poll: expect.poll may only be called inside a test, not in a hook.
  await vi.waitFor(
    async () => {
      const { error } = await serviceClient().rpc(fns.ready);
      expect(error?.code, `REST schema cache never saw ${fns.ready}`).not.toBe("PGRST202");
    },
    { timeout: 15_000, interval: 50 },
  );
});
afterAll(async () => {
  await dropOwnFunctions();
  await dropRestFixtures(sql, n);
  await sql.end();
});

/** Drops every overload of this file's functions (a plain drop by name refuses overloaded names). */
async function dropOwnFunctions(): Promise<void> {
  await sql.query(`do $$ declare f regprocedure; begin
    for f in select oid::regprocedure from pg_proc where proname = any ('{${Object.values(fns).join(",")}}'::text[]) loop
      execute 'drop function ' || f::text;
    end loop; end $$`);
}

/** postgrest-js types maxAffected() only for clients declared as PostgREST 13; the call itself is the same. */
function maxAffected<T>(builder: T, rows: number): T {
  return (builder as unknown as { maxAffected(rows: number): T }).maxAffected(rows);
}

describe("Prefer: tx=rollback and max-affected on functions", () => {
  it("rolls back what a function wrote with tx=rollback, and still answers with its result", async () => {
    const { data, error, status } = await serviceClient().rpc(fns.addOpen, { body: "dry run" }).rollback();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toMatchObject([{ body: "dry run" }]);
    const rows = await sql.query(`select count(*)::int as n from ${n.open} where body = 'dry run'`);
    expect(rows.rows[0].n).toBe(0);
  });

  it("commits the same call without tx=rollback", async () => {
    const { error } = await serviceClient().rpc(fns.addOpen, { body: "for real" });
    expect(error).toBeNull();
    const rows = await sql.query(`select count(*)::int as n from ${n.open} where body = 'for real'`);
    expect(rows.rows[0].n).toBe(1);
  });

  it("refuses and rolls back a function that returns more rows than max-affected allows (PGRST124)", async () => {
    const { error, status } = await maxAffected(serviceClient().rpc(fns.dropBooks, { below: 4 }), 2);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST124");
    expect(error?.details).toBe("The query affects 3 rows");
    const rows = await sql.query(`select count(*)::int as n from ${n.books} where id < 4`);
    expect(rows.rows[0].n).toBe(3);
  });

  it("lets a call within max-affected through and says so in Preference-Applied", async () => {
    const res = await restFetch(`/rpc/${fns.dropBooks}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "handling=strict, max-affected=1, tx=rollback" },
      body: JSON.stringify({ below: 2 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("tx=rollback, handling=strict, max-affected=1");
    expect(await res.json()).toMatchObject([{ id: 1 }]);
    const rows = await sql.query(`select count(*)::int as n from ${n.books} where id = 1`);
    expect(rows.rows[0].n).toBe(1);
  });

  it("refuses max-affected on a function that returns one value (PGRST128)", async () => {
    const { error, status } = await maxAffected(serviceClient().rpc(n.add, { a: 1 }), 1);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST128");
  });
});

describe("a function with one unnamed parameter", () => {
  it("gets the whole JSON body, whatever its keys", async () => {
    const { data, error } = await anonClient().rpc(fns.echoAny, { any: ["shape", 1], "": 2 });
    expect(error).toBeNull();
    expect(data).toEqual({ any: ["shape", 1], "": 2 });
  });

  it("gets a JSON array body as it is", async () => {
    const res = await restFetch(`/rpc/${fns.echoAny}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([1, 2, 3]),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([1, 2, 3]);
  });

  it("gets a text/plain body as text", async () => {
    const res = await restFetch(`/rpc/${fns.shout}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "quiet, please" });
    expect(res.status).toBe(200);
    expect(await res.json()).toBe("QUIET, PLEASE");
  });

  it("gets an application/octet-stream body as bytea, byte for byte", async () => {
    const bytes = new Uint8Array([0, 255, 1, 128, 10]);
    const res = await restFetch(`/rpc/${fns.byteLength}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toBe(5);
  });

  it("answers PGRST202 for a text body when no function takes one unnamed text parameter", async () => {
    const res = await restFetch(`/rpc/${fns.echoAny}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "PGRST202", hint: null });
  });
});

describe("overloaded functions", () => {
  it("picks the overload whose parameters match the argument names", async () => {
    const client = anonClient();
    expect((await client.rpc(fns.over, { a: 1 })).data).toBe("a");
    expect((await client.rpc(fns.over, { a: 1, b: 2 })).data).toBe("a,b");
    expect((await client.rpc(fns.over, { c: 3 })).data).toBe("c?");
    expect((await client.rpc(fns.over)).data).toBe("c?");
  });

  it("answers 300 PGRST203 when two overloads match the same names", async () => {
    const { error, status } = await anonClient().rpc(fns.ambiguous, { a: 1 });
    expect(status).toBe(300);
    expect(error?.code).toBe("PGRST203");
    expect(error?.message).toContain(`${fns.ambiguous}(a => integer, b => integer)`);
  });

  it("answers 404 PGRST202 when no overload takes those names", async () => {
    const { error, status } = await anonClient().rpc(fns.over, { b: 1 });
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST202");
  });
});

describe("counting a set-returning function", () => {
  it("puts the total in Content-Range for HEAD and for a limited page", async () => {
    const head = await serviceClient().rpc(n.booksBy, { author: 2 }, { head: true, count: "exact" });
    expect(head.error).toBeNull();
    expect(head.count).toBe(2);
    const page = await serviceClient().rpc(n.booksBy, { author: 2 }, { count: "exact" }).limit(1);
    expect(page.data).toHaveLength(1);
    expect(page.count).toBe(2);
    expect(page.status).toBe(206);
  });
});
