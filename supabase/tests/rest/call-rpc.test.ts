import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_rpc");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

describe("rpc", () => {
  it("returns a scalar result as a JSON scalar over POST", async () => {
    const { data, error, status } = await anonClient().rpc(n.add, { a: 2, b: 40 });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBe(42);
  });

  it("uses the parameter default when an argument is left out", async () => {
    const { data } = await anonClient().rpc(n.add, { a: 2 });
    expect(data).toBe(3);
  });

  it("calls a stable function over GET with arguments in the query string", async () => {
    const { data, error } = await anonClient().rpc(n.add, { a: 5, b: 6 }, { get: true });
    expect(error).toBeNull();
    expect(data).toBe(11);
  });

  it("returns set-returning functions as rows that can be filtered, ordered and counted", async () => {
    const { data, error, count } = await serviceClient()
      .rpc(n.booksBy, { author: 2 }, { count: "exact" })
      .select("id,title")
      .gt("pages", 100)
      .order("id", { ascending: false });
    expect(error).toBeNull();
    const direct = await sql.query(`select id, title from ${n.books} where author_id = 2 and pages > 100 order by id desc`);
    expect(data).toEqual(direct.rows);
    expect(count).toBe(direct.rowCount);
  });

  it("returns the columns of a RETURNS TABLE function", async () => {
    const { data, error } = await serviceClient().rpc(n.authorNames).eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, name: "Ada" }]);
  });

  it("answers a void function with 204 and no data", async () => {
    const { data, error, status } = await serviceClient().rpc(n.touch, { note: "x" });
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
  });

  it("passes the whole body to a single jsonb parameter with Prefer: params=single-object", async () => {
    const res = await restFetch(`/rpc/${n.echo}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "params=single-object" },
      body: JSON.stringify({ any: ["shape", 1] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ any: ["shape", 1] });
  });

  it("takes an array argument as a JSON array over POST and as {a,b} over GET", async () => {
    const post = await anonClient().rpc(n.countTags, { tags: ["a", "b", "c"] });
    expect(post.data).toBe(3);
    const get = await anonClient().rpc(n.countTags, { tags: ["a", "b"] }, { get: true });
    expect(get.error).toBeNull();
    expect(get.data).toBe(2);
  });

  it("returns a single object for a function that returns one row of a table type", async () => {
    await sql.query(
      `create or replace function ${n.books}_first() returns ${n.books} language sql stable as $$ select * from ${n.books} order by id limit 1 $$`,
    );
    let result = await serviceClient().rpc(`${n.books}_first`);
    for (let i = 0; i < 50 && result.error?.code === "PGRST202"; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      result = await serviceClient().rpc(`${n.books}_first`);
    }
    expect(result.error).toBeNull();
    expect(result.data).toMatchObject({ id: 1, title: "Notes on the engine" });
  });

  it("reports an unknown function with 404 PGRST202", async () => {
    const { error, status } = await anonClient().rpc("rest_rpc_nope", { a: 1 });
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST202");
    expect(error?.message).toContain("rest_rpc_nope");
  });

  it("reports unknown argument names with 404 PGRST202", async () => {
    const { error, status } = await anonClient().rpc(n.add, { x: 1 });
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST202");
  });

  it("passes SQL errors through with PostgREST's status: 22P02 is 400", async () => {
    const { error, status } = await anonClient().rpc(n.add, { a: "not a number" });
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
  });

  it("refuses a volatile write over GET because the transaction is read-only", async () => {
    await sql.query(
      `create or replace function ${n.touch}_write() returns int language sql volatile as $$ insert into ${n.open} (body) values ('x') returning 1 $$`,
    );
    await serviceClient().schema("public");
    let res: Response | undefined;
    for (let i = 0; i < 50; i += 1) {
      res = await restFetch(`/rpc/${n.touch}_write`);
      if (res.status !== 404) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(res?.status).toBe(405);
    expect(await res?.json()).toMatchObject({ code: "25006" });
  });
});
