import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_mod");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

async function directRows(query: string): Promise<unknown> {
  const result = await sql.query(`select coalesce(json_agg(r), '[]') as rows from (${query}) r`);
  return result.rows[0].rows;
}

describe("select list", () => {
  it("returns every column like select * in SQL", async () => {
    const { data, error } = await serviceClient().from(n.authors).select("*").order("id");
    expect(error).toBeNull();
    expect(data).toEqual(await directRows(`select * from ${n.authors} order by id`));
  });

  it("renames columns with aliases and casts them", async () => {
    const { data, error } = await serviceClient()
      .from(n.authors)
      .select("key:id,name,rating::text,born_text:born::text")
      .order("id")
      .limit(2);
    expect(error).toBeNull();
    expect(data).toEqual(
      await directRows(`select id as key, name, rating::text as rating, born::text as born_text from ${n.authors} order by id limit 2`),
    );
  });

  it("reads into json with -> and ->> paths", async () => {
    const { data, error } = await serviceClient()
      .from(n.authors)
      .select("id,city:meta->>city,meta->langs,first:meta->langs->0")
      .eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, city: "London", langs: ["en", "fr"], first: "en" }]);
  });
});

describe("computed fields", () => {
  it("selects, filters and orders by a function of the row as if it were a column", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,loud:${n.loudTitle}`)
      .like(n.loudTitle, "*THE*")
      .order(n.loudTitle, { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual(
      await directRows(`select id, upper(title) as loud from ${n.books} where upper(title) like '%THE%' order by upper(title) desc`),
    );
  });
});

describe("order, limit and offset", () => {
  it("orders descending with nulls first and then by a second column", async () => {
    const { data } = await serviceClient().from(n.authors).select("id").order("rating", { ascending: false, nullsFirst: true }).order("id");
    expect(data).toEqual(await directRows(`select id from ${n.authors} order by rating desc nulls first, id`));
  });

  it("orders ascending with nulls last", async () => {
    const { data } = await serviceClient().from(n.books).select("id,pages").order("pages", { ascending: true, nullsFirst: false });
    expect(data).toEqual(await directRows(`select id, pages from ${n.books} order by pages asc nulls last`));
  });

  it("pages with range() as offset and limit", async () => {
    const { data, error } = await serviceClient().from(n.books).select("id").order("id").range(1, 2);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it("limits the number of rows", async () => {
    const { data } = await serviceClient().from(n.books).select("id").order("id", { ascending: false }).limit(2);
    expect(data).toEqual([{ id: 5 }, { id: 4 }]);
  });
});

describe("counting", () => {
  it("returns the exact count in Content-Range and the page of rows", async () => {
    const { data, count, error, status } = await serviceClient().from(n.books).select("id", { count: "exact" }).order("id").range(0, 1);
    expect(error).toBeNull();
    expect(count).toBe(5);
    expect(data).toHaveLength(2);
    expect(status).toBe(206);
  });

  it("counts the filtered rows, not the whole table", async () => {
    const { count } = await serviceClient().from(n.books).select("id", { count: "exact" }).eq("published", true);
    const direct = await sql.query(`select count(*)::int as c from ${n.books} where published`);
    expect(count).toBe(direct.rows[0].c);
  });

  it("answers HEAD with the count and no rows", async () => {
    const { data, count, error } = await serviceClient().from(n.books).select("*", { count: "exact", head: true });
    expect(error).toBeNull();
    expect(data).toBeNull();
    expect(count).toBe(5);
  });

  it("writes Content-Range as PostgREST does with and without a count", async () => {
    const counted = await restFetch(`/${n.books}?select=id&limit=2&offset=1`, { headers: { prefer: "count=exact" } });
    expect(counted.headers.get("content-range")).toBe("1-2/5");
    const uncounted = await restFetch(`/${n.books}?select=id&limit=2`);
    expect(uncounted.headers.get("content-range")).toBe("0-1/*");
    const empty = await restFetch(`/${n.books}?select=id&id=eq.999`, { headers: { prefer: "count=exact" } });
    expect(empty.headers.get("content-range")).toBe("*/0");
  });

  it("honours a Range header as offset and limit", async () => {
    const res = await restFetch(`/${n.books}?select=id&order=id`, {
      headers: { range: "1-2", "range-unit": "items", prefer: "count=exact" },
    });
    expect(res.status).toBe(206);
    expect(await res.json()).toEqual([{ id: 2 }, { id: 3 }]);
    expect(res.headers.get("content-range")).toBe("1-2/5");
  });

  it("answers an offset past the end with 416", async () => {
    const res = await restFetch(`/${n.books}?select=id&offset=50&limit=5`, { headers: { prefer: "count=exact" } });
    expect(res.status).toBe(416);
    expect(await res.json()).toMatchObject({ code: "PGRST103" });
  });
});

describe("single and maybeSingle", () => {
  it("returns the object when exactly one row matches single()", async () => {
    const { data, error } = await serviceClient().from(n.authors).select("id,name").eq("id", 2).single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 2, name: "Brian" });
  });

  it("fails single() with 406 PGRST116 when no row matches", async () => {
    const { data, error, status } = await serviceClient().from(n.authors).select("id").eq("id", 999).single();
    expect(data).toBeNull();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: "PGRST116", details: "The result contains 0 rows" });
  });

  it("fails single() with 406 PGRST116 when two rows match", async () => {
    const { error, status } = await serviceClient().from(n.authors).select("id").in("id", [1, 2]).single();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: "PGRST116", details: "The result contains 2 rows" });
  });

  it("returns null from maybeSingle() when no row matches", async () => {
    const { data, error } = await serviceClient().from(n.authors).select("id").eq("id", 999).maybeSingle();
    expect(error).toBeNull();
    expect(data).toBeNull();
  });

  it("returns the row from maybeSingle() when one row matches", async () => {
    const { data, error } = await serviceClient().from(n.authors).select("id").eq("id", 4).maybeSingle();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 4 });
  });

  it("fails maybeSingle() when two rows match", async () => {
    const { error } = await serviceClient().from(n.authors).select("id").lt("id", 3).maybeSingle();
    expect(error?.code).toBe("PGRST116");
  });
});

describe("other media types", () => {
  it("returns CSV with a header row when asked for text/csv", async () => {
    const { data, error } = await serviceClient().from(n.books).select("id,title").order("id").limit(2).csv();
    expect(error).toBeNull();
    // PostgREST writes each row in Postgres' record text format, which quotes values with spaces.
    expect(data).toBe('id,title\n1,"Notes on the engine"\n2,"The C book"');
  });

  it("strips null fields when asked to", async () => {
    const { data } = await serviceClient().from(n.books).select("id,note").eq("id", 1).stripNulls();
    expect(data).toEqual([{ id: 1 }]);
  });
});
