import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_emb");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

describe("embedded resources", () => {
  it("embeds a many-to-one parent as an object chosen by FK column hint", async () => {
    const { data, error } = await serviceClient().from(n.books).select(`id,author:${n.authors}!author_id(name)`).order("id");
    expect(error).toBeNull();
    const direct = await sql.query(
      `select coalesce(json_agg(json_build_object('id', b.id, 'author', case when a.id is null then null else json_build_object('name', a.name) end) order by b.id), '[]') as rows
       from ${n.books} b left join ${n.authors} a on a.id = b.author_id`,
    );
    expect(data).toEqual(direct.rows[0].rows);
  });

  it("embeds by the foreign key constraint's name as hint", async () => {
    const { data, error } = await serviceClient().from(n.books).select(`id,editor:${n.authors}!${n.books}_editor_id_fkey(id)`).eq("id", 3);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 3, editor: { id: 1 } }]);
  });

  it("embeds by the foreign key column itself", async () => {
    const { data, error } = await serviceClient().from(n.books).select("id,author_id(name)").eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, author_id: { name: "Ada" } }]);
  });

  it("refuses an ambiguous embed with 300 PGRST201", async () => {
    const { error, status } = await serviceClient().from(n.books).select(`id,${n.authors}(name)`);
    expect(status).toBe(300);
    expect(error?.code).toBe("PGRST201");
  });

  it("refuses an embed without a relationship with PGRST200", async () => {
    const { error, status } = await serviceClient().from(n.authors).select(`id,${n.notes}(id)`);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST200");
  });

  it("embeds one-to-many children as arrays, empty when there are none", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}(stars)`)
      .order("id")
      .order("stars", { referencedTable: n.reviews });
    expect(error).toBeNull();
    const direct = await sql.query(
      `select coalesce(json_agg(json_build_object('id', b.id, '${n.reviews}',
         coalesce((select json_agg(json_build_object('stars', r.stars) order by r.stars) from ${n.reviews} r where r.book_id = b.id), '[]')) order by b.id), '[]') as rows
       from ${n.books} b`,
    );
    expect(data).toEqual(direct.rows[0].rows);
  });

  it("nests embeds two levels deep", async () => {
    const { data, error } = await serviceClient()
      .from(n.authors)
      .select(`name,written:${n.books}!author_id(title,${n.reviews}(body))`)
      .eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([
      {
        name: "Ada",
        written: [{ title: "Notes on the engine", [n.reviews]: expect.arrayContaining([{ body: "visionary" }, { body: "dense" }]) }],
      },
    ]);
  });

  it("keeps only parents with matching children when the embed is !inner", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}!inner(stars)`)
      .eq(`${n.reviews}.stars`, 5)
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, [n.reviews]: [{ stars: 5 }] },
      { id: 2, [n.reviews]: [{ stars: 5 }] },
    ]);
  });

  it("counts only the parents an !inner embed keeps, and all parents otherwise", async () => {
    const inner = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}!inner(stars)`, { count: "exact" })
      .eq(`${n.reviews}.stars`, 5);
    expect(inner.count).toBe(2);
    const left = await serviceClient().from(n.books).select(`id,${n.reviews}(stars)`, { count: "exact" }).eq(`${n.reviews}.stars`, 5);
    const direct = await sql.query(`select count(*)::int as c from ${n.books}`);
    expect(left.count).toBe(direct.rows[0].c);
  });

  it("filters the embedded rows without dropping parents when the embed is not inner", async () => {
    const { data } = await serviceClient().from(n.books).select(`id,${n.reviews}(stars)`).eq(`${n.reviews}.stars`, 5).order("id").limit(3);
    expect(data).toEqual([
      { id: 1, [n.reviews]: [{ stars: 5 }] },
      { id: 2, [n.reviews]: [{ stars: 5 }] },
      { id: 3, [n.reviews]: [] },
    ]);
  });

  it("orders and limits embedded rows", async () => {
    const { data } = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}(stars)`)
      .eq("id", 1)
      .order("stars", { referencedTable: n.reviews, ascending: true })
      .limit(1, { referencedTable: n.reviews });
    expect(data).toEqual([{ id: 1, [n.reviews]: [{ stars: 4 }] }]);
  });

  it("offsets embedded rows with range on the referenced table", async () => {
    const { data } = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}(stars)`)
      .eq("id", 1)
      .order("stars", { referencedTable: n.reviews })
      .range(1, 1, { referencedTable: n.reviews });
    expect(data).toEqual([{ id: 1, [n.reviews]: [{ stars: 5 }] }]);
  });

  it("applies or filters inside an embedded resource", async () => {
    const { data } = await serviceClient()
      .from(n.books)
      .select(`id,${n.reviews}(body)`)
      .eq("id", 1)
      .or("body.eq.dense,stars.eq.1", { referencedTable: n.reviews });
    expect(data).toEqual([{ id: 1, [n.reviews]: [{ body: "dense" }] }]);
  });

  it("filters an aliased many-to-one embed through !inner", async () => {
    const { data } = await serviceClient()
      .from(n.books)
      .select(`id,author:${n.authors}!author_id!inner(name)`)
      .eq("author.name", "Brian")
      .order("id");
    expect(data).toEqual([
      { id: 2, author: { name: "Brian" } },
      { id: 3, author: { name: "Brian" } },
    ]);
  });

  it("embeds many-to-many through a junction table", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,${n.tags}(name)`)
      .order("id")
      .order("name", { referencedTable: n.tags });
    expect(error).toBeNull();
    const direct = await sql.query(
      `select coalesce(json_agg(json_build_object('id', b.id, '${n.tags}',
         coalesce((select json_agg(json_build_object('name', t.name) order by t.name) from ${n.tags} t
           where exists (select 1 from ${n.bookTags} bt where bt.book_id = b.id and bt.tag_id = t.id)), '[]')) order by b.id), '[]') as rows
       from ${n.books} b`,
    );
    expect(data).toEqual(direct.rows[0].rows);
  });

  it("filters parents by a many-to-many embed with !inner", async () => {
    const { data } = await serviceClient().from(n.books).select(`id,${n.tags}!inner(name)`).eq(`${n.tags}.name`, "systems").order("id");
    expect(data).toEqual([
      { id: 2, [n.tags]: [{ name: "systems" }] },
      { id: 3, [n.tags]: [{ name: "systems" }] },
    ]);
  });

  it("spreads the columns of a to-one embed into the parent row", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,...${n.authors}!author_id(author_name:name,email)`)
      .in("id", [1, 4])
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, author_name: "Ada", email: "ada@example.test" },
      { id: 4, author_name: null, email: null },
    ]);
  });

  it("spreads a to-many embed into correlated arrays, in the embed's order (PostgREST 13)", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,...${n.reviews}(stars_list:stars,bodies:body)`)
      .in("id", [1, 4])
      .order("id")
      .order("stars", { referencedTable: n.reviews });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, stars_list: [4, 5], bodies: ["dense", "visionary"] },
      { id: 4, stars_list: [], bodies: [] },
    ]);
  });

  it("rejects a filter on an embed that is not selected with PGRST108", async () => {
    const { error, status } = await serviceClient().from(n.books).select("id").eq(`${n.reviews}.stars`, 5);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST108");
  });
});
