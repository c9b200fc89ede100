import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_wr");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

async function titleOf(id: number): Promise<string | undefined> {
  const result = await sql.query(`select title from ${n.books} where id = $1`, [id]);
  return result.rows[0]?.title;
}

describe("insert", () => {
  it("inserts one row and returns it with select()", async () => {
    const { data, error, status } = await serviceClient().from(n.books).insert({ id: 100, title: "New", pages: 10 }).select().single();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual({ id: 100, title: "New", author_id: null, editor_id: null, pages: 10, published: null, note: null });
    expect(await titleOf(100)).toBe("New");
  });

  it("inserts without returning anything by default with 201 and no body", async () => {
    const { data, error, status } = await serviceClient().from(n.books).insert({ id: 101, title: "Quiet" });
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toBeNull();
    expect(await titleOf(101)).toBe("Quiet");
  });

  it("inserts an array, filling missing keys with null", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .insert([
        { id: 102, title: "A", pages: 1 },
        { id: 103, title: "B" },
      ])
      .select("id,pages");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 102, pages: 1 },
      { id: 103, pages: null },
    ]);
  });

  it("uses column defaults for missing keys with defaultToNull false", async () => {
    const { data, error } = await serviceClient()
      .from(n.reviews)
      .insert(
        [
          { book_id: 1, stars: 3 },
          { book_id: 1, stars: 2, body: "given" },
        ],
        { defaultToNull: false },
      )
      .select("stars,body");
    expect(error).toBeNull();
    expect(data).toEqual([
      { stars: 3, body: null },
      { stars: 2, body: "given" },
    ]);
  });

  it("returns embedded resources of inserted rows", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .insert({ id: 104, title: "With author", author_id: 1 })
      .select(`id,author:${n.authors}!author_id(name)`);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 104, author: { name: "Ada" } }]);
  });

  it("inserts a row of column defaults from an empty object", async () => {
    const { data, error, status } = await serviceClient().from(n.open).insert({}).select("body");
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([{ body: null }]);
  });

  it("answers an empty array insert with 201 and no rows", async () => {
    const { data, error, status } = await serviceClient().from(n.books).insert([]).select();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([]);
  });

  it("returns a computed field on the inserted rows", async () => {
    const { data, error } = await serviceClient().from(n.books).insert({ id: 300, title: "quiet" }).select(`id,${n.loudTitle}`);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 300, [n.loudTitle]: "QUIET" }]);
  });

  it("reports a duplicate key as 409 with code 23505", async () => {
    const { error, status } = await serviceClient().from(n.books).insert({ id: 1, title: "dup" });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "23505" });
    expect(error?.details).toContain("already exists");
  });

  it("reports a missing foreign key target as 409 with code 23503", async () => {
    const { error, status } = await serviceClient().from(n.books).insert({ id: 105, title: "x", author_id: 999 });
    expect(status).toBe(409);
    expect(error?.code).toBe("23503");
  });

  it("reports a not-null violation as 400 with code 23502", async () => {
    const { error, status } = await serviceClient().from(n.books).insert({ id: 106, title: null });
    expect(status).toBe(400);
    expect(error?.code).toBe("23502");
  });

  it("reports a check violation as 400 with code 23514", async () => {
    const { error, status } = await serviceClient().from(n.reviews).insert({ book_id: 1, stars: 9 });
    expect(status).toBe(400);
    expect(error?.code).toBe("23514");
  });

  it("rejects an unknown column with PGRST204", async () => {
    const { error, status } = await serviceClient().from(n.books).insert({ id: 107, title: "x", nope: 1 });
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST204");
  });

  it("rejects a value of the wrong type with 22P02", async () => {
    const { error, status } = await serviceClient().from(n.books).insert({ id: "not a number", title: "x" });
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
  });
});

describe("upsert", () => {
  it("merges duplicates on the primary key", async () => {
    const { data, error, status } = await serviceClient()
      .from(n.books)
      .upsert([
        { id: 110, title: "fresh" },
        { id: 2, title: "The C book, 2nd ed." },
      ])
      .select("id,title");
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([
      { id: 110, title: "fresh" },
      { id: 2, title: "The C book, 2nd ed." },
    ]);
    expect(await titleOf(2)).toBe("The C book, 2nd ed.");
  });

  it("ignores duplicates and returns only the new rows", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .upsert(
        [
          { id: 111, title: "new one" },
          { id: 1, title: "should not win" },
        ],
        { ignoreDuplicates: true },
      )
      .select("id");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 111 }]);
    expect(await titleOf(1)).toBe("Notes on the engine");
  });

  it("merges on another unique column named in onConflict", async () => {
    await sql.query(`insert into ${n.authors} (id, name, email) values (60, 'Eve', 'eve@example.test')`);
    const { data, error } = await serviceClient()
      .from(n.authors)
      .upsert({ id: 60, email: "eve@example.test", name: "Eve renamed" }, { onConflict: "email" })
      .select("id,name");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 60, name: "Eve renamed" }]);
  });
});

describe("update", () => {
  it("updates the filtered rows and returns them", async () => {
    const { data, error, status } = await serviceClient()
      .from(n.books)
      .update({ note: "checked" })
      .gte("id", 100)
      .lte("id", 101)
      .select("id,note")
      .order("id");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      { id: 100, note: "checked" },
      { id: 101, note: "checked" },
    ]);
  });

  it("updates with no representation as 204 and reports the count", async () => {
    const { error, status, count } = await serviceClient().from(n.books).update({ note: "counted" }).in("id", [102, 103]);
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(count).toBeNull();
    const direct = await sql.query(`select count(*)::int as c from ${n.books} where note = 'counted'`);
    expect(direct.rows[0].c).toBe(2);
  });

  it("returns an empty array when no row matches", async () => {
    const { data, error } = await serviceClient().from(n.books).update({ note: "x" }).eq("id", 9999).select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it("rolls the update back when single() sees more than one row", async () => {
    const { error, status } = await serviceClient().from(n.books).update({ note: "rolled back" }).in("id", [100, 101]).select().single();
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST116");
    const direct = await sql.query(`select count(*)::int as c from ${n.books} where note = 'rolled back'`);
    expect(direct.rows[0].c).toBe(0);
  });

  it("counts updated rows with count exact", async () => {
    const { count, error } = await serviceClient().from(n.books).update({ note: "again" }, { count: "exact" }).in("id", [102, 103]);
    expect(error).toBeNull();
    expect(count).toBe(2);
  });
});

describe("max affected", () => {
  const patch = (query: string, note: string) =>
    restFetch(`/${n.books}?${query}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", prefer: "handling=strict, max-affected=1" },
      body: JSON.stringify({ note }),
    });

  it("rolls back an update that touches more rows than max-affected allows", async () => {
    const res = await patch("id=in.(100,101)", "too many");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PGRST124" });
    const direct = await sql.query(`select count(*)::int as c from ${n.books} where note = 'too many'`);
    expect(direct.rows[0].c).toBe(0);
  });

  it("lets an update within max-affected through", async () => {
    const res = await patch("id=eq.100", "just one");
    expect(res.status).toBe(204);
    expect((await sql.query(`select note from ${n.books} where id = 100`)).rows[0].note).toBe("just one");
  });
});

describe("delete", () => {
  it("deletes the filtered rows and returns them", async () => {
    const { data, error, status } = await serviceClient().from(n.books).delete().eq("id", 111).select("id,title");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([{ id: 111, title: "new one" }]);
    expect(await titleOf(111)).toBeUndefined();
  });

  it("deletes with no representation as 204", async () => {
    const { status, error } = await serviceClient().from(n.books).delete().eq("id", 110);
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(await titleOf(110)).toBeUndefined();
  });

  it("refuses limit on delete instead of deleting more than asked", async () => {
    const res = await restFetch(`/${n.books}?id=gte.100&limit=1`, { method: "DELETE" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PGRST127" });
    expect(await titleOf(100)).toBe("New");
  });
});

describe("preference headers", () => {
  it("echoes the applied preferences", async () => {
    const res = await restFetch(`/${n.books}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "return=representation, resolution=merge-duplicates" },
      body: JSON.stringify({ id: 120, title: "prefs" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("preference-applied")).toBe("resolution=merge-duplicates, return=representation");
  });
});

describe("upsert status, tx=rollback and max-affected on table writes", () => {
  it("answers an upsert with 201 when it inserts and 200 when every row only updated", async () => {
    const inserted = await serviceClient().from(n.books).upsert({ id: 130, title: "upserted" }).select("id,title");
    expect(inserted.error).toBeNull();
    expect(inserted.status).toBe(201);
    const updated = await serviceClient()
      .from(n.books)
      .upsert([{ id: 130, title: "upserted again" }])
      .select("id,title");
    expect(updated.error).toBeNull();
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual([{ id: 130, title: "upserted again" }]);
    const mixed = await serviceClient()
      .from(n.books)
      .upsert([
        { id: 130, title: "third time" },
        { id: 131, title: "new" },
      ]);
    expect(mixed.status).toBe(201);
    const minimalUpdate = await serviceClient().from(n.books).upsert({ id: 131, title: "newer" });
    expect(minimalUpdate.status).toBe(200);
    const ignored = await serviceClient().from(n.books).upsert({ id: 131, title: "ignored" }, { ignoreDuplicates: true });
    expect(ignored.status).toBe(201);
    expect(await titleOf(131)).toBe("newer");
  });

  it("rolls back an insert with tx=rollback and still returns the row", async () => {
    const { data, error, status } = await serviceClient().from(n.books).insert({ id: 140, title: "dry" }).select("id,title").rollback();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([{ id: 140, title: "dry" }]);
    expect(await titleOf(140)).toBeUndefined();
  });

  it("ignores max-affected on an insert, as PostgREST does (only PATCH, DELETE and RPC check it)", async () => {
    const res = await restFetch(`/${n.books}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "handling=strict, max-affected=1" },
      body: JSON.stringify([
        { id: 141, title: "one" },
        { id: 142, title: "two" },
      ]),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("preference-applied")).toBe("handling=strict");
    expect(await titleOf(142)).toBe("two");
  });

  it("rolls back a delete that exceeds max-affected, through postgrest-js", async () => {
    const builder = serviceClient().from(n.books).delete().in("id", [141, 142]);
    const { error, status } = await (builder as unknown as { maxAffected(rows: number): typeof builder }).maxAffected(1);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST124");
    expect(await titleOf(141)).toBe("one");
  });
});
