import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRestFixtures, dropRestFixtures, type TRestFixtureNames, waitForSchemaCache } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// Embedding as PostgREST resolves it: one name per embed, empty embeds, constraint names,
// self-referencing keys, keys followed through views, computed relationships and aggregates.

let sql: pg.Pool;
let n: TRestFixtureNames;
const p = "rest_rel";
const nodes = `${p}_nodes`;
const bookView = `${p}_book_view`;
const topReview = `${p}_top_review`;
const goodReviews = `${p}_good_reviews`;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, p);
  await sql.query(`
    drop table if exists ${nodes} cascade;
    create table ${nodes} (id int primary key, name text not null, parent_id int references ${nodes} (id));
    insert into ${nodes} values (1, 'root', null), (2, 'left', 1), (3, 'right', 1), (4, 'leaf', 2);
    create view ${bookView} as select id, title, author_id from ${n.books};
    create function ${topReview}(${n.books}) returns ${n.reviews} language sql stable as
      $$ select * from ${n.reviews} where book_id = $1.id order by stars desc, id limit 1 $$;
    create function ${goodReviews}(${n.books}) returns setof ${n.reviews} language sql stable as
      $$ select * from ${n.reviews} where book_id = $1.id and stars >= 4 $$;
  `);
  await waitForSchemaCache([nodes, bookView]);
});
afterAll(async () => {
  await sql.query(`alter role authenticator reset pgrst.db_aggregates_enabled; notify pgrst, 'reload config';`);
  await sql.query(`drop function if exists ${topReview}, ${goodReviews}; drop view if exists ${bookView}; drop table if exists ${nodes};`);
  await dropRestFixtures(sql, n);
  await sql.end();
});

describe("embedding", () => {
  it("refuses the same embed name twice at one level like PostgREST (400, 42712)", async () => {
    const { error, status } = await serviceClient().from(n.books).select(`id,${n.reviews}(stars),${n.reviews}(body)`);
    expect(status).toBe(400);
    expect(error?.code).toBe("42712");
    expect(error?.message).toBe(`table name "${n.books}_${n.reviews}_1" specified more than once`);
  });

  it("takes the same table twice under two aliases", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,five:${n.reviews}(stars),all:${n.reviews}(stars)`)
      .eq("id", 1)
      .eq("five.stars", 5);
    expect(error).toBeNull();
    const row = (data as unknown as Array<{ five: unknown[]; all: unknown[] }>)[0];
    expect(row?.five).toEqual([{ stars: 5 }]);
    expect(row?.all).toHaveLength(2);
  });

  it("uses an empty embed only to filter, without adding a key", async () => {
    const { data, error } = await serviceClient().from(n.books).select(`id,${n.reviews}!inner()`).eq(`${n.reviews}.stars`, 5).order("id");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("embeds by the foreign key constraint's name as the target", async () => {
    const { data, error } = await serviceClient().from(n.books).select(`id,${n.books}_editor_id_fkey(name)`).eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, [`${n.books}_editor_id_fkey`]: { name: "Brian" } }]);
  });

  it("resolves a self-referencing key: the table name is the children, the key column the parent", async () => {
    const { data, error } = await serviceClient()
      .from(nodes)
      .select(`id,parent:parent_id(name),children:${nodes}!parent_id(id),kids:${nodes}(id)`)
      .in("id", [1, 2])
      .order("id")
      .order("id", { referencedTable: "children" })
      .order("id", { referencedTable: "kids" });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, parent: null, children: [{ id: 2 }, { id: 3 }], kids: [{ id: 2 }, { id: 3 }] },
      { id: 2, parent: { name: "root" }, children: [{ id: 4 }], kids: [{ id: 4 }] },
    ]);
  });

  it("follows a view to its table's foreign keys, both ways", async () => {
    const fromView = await serviceClient().from(bookView).select(`id,${n.authors}(name)`).eq("id", 2);
    expect(fromView.error).toBeNull();
    expect(fromView.data).toEqual([{ id: 2, [n.authors]: { name: "Brian" } }]);
    const toView = await serviceClient()
      .from(n.authors)
      .select(`name,${bookView}(title)`)
      .eq("id", 2)
      .order("title", { referencedTable: bookView });
    expect(toView.error).toBeNull();
    expect(toView.data).toEqual([{ name: "Brian", [bookView]: [{ title: "The C book" }, { title: "Unix tales" }] }]);
  });

  it("embeds computed relationships: a function of the row returning one row or a set", async () => {
    const { data, error } = await serviceClient()
      .from(n.books)
      .select(`id,${topReview}(stars,body),${goodReviews}(stars)`)
      .in("id", [1, 4])
      .order("id")
      .order("stars", { referencedTable: goodReviews });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, [topReview]: { stars: 5, body: "visionary" }, [goodReviews]: [{ stars: 4 }, { stars: 5 }] },
      { id: 4, [topReview]: null, [goodReviews]: [] },
    ]);
  });
});

describe("aggregates", () => {
  it("are refused with PGRST123 until enabled, as on hosted Supabase", async () => {
    const { error, status } = await serviceClient().from(n.reviews).select("count()");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST123");
  });

  it("count, sum, avg, min and max, grouped by the other selected columns, once pgrst.db_aggregates_enabled is on", async () => {
    await sql.query(`alter role authenticator set pgrst.db_aggregates_enabled = 'true'; notify pgrst, 'reload config';`);
    const query = () =>
      serviceClient()
        .from(n.reviews)
        .select("book_id,count(),stars.sum(),stars.avg()::float8,lowest:stars.min(),stars.max()")
        .in("book_id", [1, 2])
        .order("book_id");
    // The config reload is asynchronous: until PostgREST has re-read the role settings it still answers PGRST123.
    const result = await vi.waitFor(
      async () => {
        const attempt = await query();
        expect(attempt.error?.code).not.toBe("PGRST123");
        return attempt;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(result.error).toBeNull();
    expect(result.data).toEqual([
      { book_id: 1, count: 2, sum: 9, avg: 4.5, lowest: 4, max: 5 },
      { book_id: 2, count: 1, sum: 5, avg: 5, lowest: 5, max: 5 },
    ]);
    const total = await serviceClient().from(n.reviews).select("count()");
    expect(total.data).toEqual([{ count: 5 }]);
    const embedded = await serviceClient().from(n.books).select(`id,${n.reviews}(count())`).in("id", [1, 4]).order("id");
    expect(embedded.data).toEqual([
      { id: 1, [n.reviews]: [{ count: 2 }] },
      { id: 4, [n.reviews]: [{ count: 0 }] },
    ]);
    const spread = await serviceClient().from(n.books).select(`id,...${n.reviews}(count())`);
    expect(spread.status).toBe(400);
    expect(spread.error?.code).toBe("PGRST127");
  });
});
