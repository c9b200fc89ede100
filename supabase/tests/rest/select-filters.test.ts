import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_flt");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

type TQuery = ReturnType<ReturnType<ReturnType<typeof serviceClient>["from"]>["select"]>;

/** Ids that supabase-js gets back for a filter, next to the ids plain SQL selects with `where`. */
async function compare(filter: (q: TQuery) => TQuery, where: string): Promise<{ rest: number[]; direct: number[] }> {
  const { data, error } = await filter(serviceClient().from(n.authors).select("id")).order("id");
  expect(error).toBeNull();
  const direct = await sql.query<{ id: number }>(`select id from ${n.authors} where ${where} order by id`);
  return { rest: (data as Array<{ id: number }>).map((r) => r.id), direct: direct.rows.map((r) => r.id) };
}

const cases: Array<[string, (q: TQuery) => TQuery, string]> = [
  ["eq", (q) => q.eq("name", "Ada"), "name = 'Ada'"],
  ["eq with reserved characters in the value", (q) => q.eq("name", 'Chloé, "the quoted"'), `name = 'Chloé, "the quoted"'`],
  ["neq", (q) => q.neq("name", "Ada"), "name <> 'Ada'"],
  ["gt", (q) => q.gt("rating", 4), "rating > 4"],
  ["gte", (q) => q.gte("rating", 4.5), "rating >= 4.5"],
  ["lt", (q) => q.lt("born", "1950-01-01"), "born < '1950-01-01'"],
  ["lte", (q) => q.lte("id", 2), "id <= 2"],
  ["like with * wildcards", (q) => q.like("name", "*a*"), "name like '%a%'"],
  ["ilike", (q) => q.ilike("name", "a*"), "name ilike 'a%'"],
  ["match", (q) => q.match({ name: "Dan" }), "name = 'Dan'"],
  ["regex match", (q) => q.filter("name", "match", "^[AB]"), "name ~ '^[AB]'"],
  ["case-insensitive regex imatch", (q) => q.filter("name", "imatch", "^d"), "name ~* '^d'"],
  ["is null", (q) => q.is("email", null), "email is null"],
  ["not is null", (q) => q.not("email", "is", null), "email is not null"],
  ["is true on a computed boolean column through a json path", (q) => q.filter("meta->>city", "eq", "London"), "meta->>'city' = 'London'"],
  ["in", (q) => q.in("id", [1, 3, 4]), "id in (1, 3, 4)"],
  ["in with quoted values", (q) => q.in("name", ["Ada", "x,y (z)", "Dan"]), `name in ('Ada', 'x,y (z)', 'Dan')`],
  ["not in", (q) => q.not("id", "in", "(1,2)"), "id not in (1, 2)"],
  ["contains on an array", (q) => q.contains("tags", ["math"]), "tags @> '{math}'"],
  ["contained by on an array", (q) => q.containedBy("tags", ["math", "poetry", "unix"]), "tags <@ '{math,poetry,unix}'"],
  ["contains on jsonb", (q) => q.contains("meta", { city: "London" }), `meta @> '{"city":"London"}'`],
  ["overlaps on an array", (q) => q.overlaps("tags", ["c", "poetry"]), "tags && '{c,poetry}'"],
  ["overlaps on a range", (q) => q.overlaps("span", "[8,12)"), "span && '[8,12)'"],
  ["strictly left of a range", (q) => q.rangeLt("span", "[25,26)"), "span << '[25,26)'"],
  ["strictly right of a range", (q) => q.rangeGt("span", "[0,3)"), "span >> '[0,3)'"],
  ["does not extend right of a range", (q) => q.rangeLte("span", "[0,15)"), "span &< '[0,15)'"],
  ["does not extend left of a range", (q) => q.rangeGte("span", "[3,4)"), "span &> '[3,4)'"],
  ["adjacent to a range", (q) => q.rangeAdjacent("span", "[20,30)"), "span -|- '[20,30)'"],
  ["full text search", (q) => q.textSearch("bio", "engine:* & poetry"), "bio @@ to_tsquery('engine:* & poetry')"],
  [
    "full text search with a config",
    (q) => q.textSearch("bio", "engines", { config: "english" }),
    "bio @@ to_tsquery('english', 'engines')",
  ],
  [
    "plain full text search",
    (q) => q.textSearch("bio", "programming language", { type: "plain", config: "english" }),
    "bio @@ plainto_tsquery('english', 'programming language')",
  ],
  [
    "phrase full text search",
    (q) => q.textSearch("bio", "programming language", { type: "phrase", config: "english" }),
    "bio @@ phraseto_tsquery('english', 'programming language')",
  ],
  [
    "websearch full text search",
    (q) => q.textSearch("bio", "poetry or algorithms", { type: "websearch", config: "english" }),
    "bio @@ websearch_to_tsquery('english', 'poetry or algorithms')",
  ],
  ["full text search on a text column", (q) => q.textSearch("name", "ada"), "to_tsvector(name) @@ to_tsquery('ada')"],
  ["not eq", (q) => q.not("name", "eq", "Ada"), "not (name = 'Ada')"],
  ["or", (q) => q.or("id.eq.1,rating.gt.4.6"), "id = 1 or rating > 4.6"],
  ["or with a nested and", (q) => q.or("id.eq.3,and(rating.gt.4,born.lt.1900-01-01)"), "id = 3 or (rating > 4 and born < '1900-01-01')"],
  ["or with quoted values", (q) => q.or('name.eq."Chloé, \\"the quoted\\"",name.eq.Dan'), `name in ('Chloé, "the quoted"', 'Dan')`],
  ["or with in and is", (q) => q.or("id.in.(1,2),email.is.null"), "id in (1, 2) or email is null"],
  ["two or groups, which must both hold", (q) => q.or("id.eq.1,id.eq.2").or("id.eq.2,id.eq.3"), "id = 2"],
  ["eq(any)", (q) => q.filter("id", "eq(any)", "{1,4}"), "id = any ('{1,4}')"],
  ["like(all)", (q) => q.likeAllOf("name", ["*a*", "A*"]), "name like all ('{%a%,A%}')"],
  ["ilike(any)", (q) => q.ilikeAnyOf("name", ["b*", "d*"]), "name ilike any ('{b%,d%}')"],
  ["is distinct from", (q) => q.isDistinct("email", "ada@example.test"), "email is distinct from 'ada@example.test'"],
];

describe("filters", () => {
  it.each(cases)("answers %s like the same where clause in SQL", async (_name, filter, where) => {
    const { rest, direct } = await compare(filter, where);
    expect(rest).toEqual(direct);
  });

  it.each([
    ["and=(id.gt.1,id.lt.4)", "id > 1 and id < 4"],
    ["not.or=(id.eq.1,id.eq.2)", "not (id = 1 or id = 2)"],
    ["not.and=(id.gt.1,id.lt.4)", "not (id > 1 and id < 4)"],
    ["or=(id.eq.1,not.and(id.gt.0,id.lt.4))", "id = 1 or not (id > 0 and id < 4)"],
    ["or=(id.eq.4,and(or(id.eq.1,id.eq.2),rating.gt.4))", "id = 4 or ((id = 1 or id = 2) and rating > 4)"],
    ["name=not.like.*a*", "not (name like '%a%')"],
  ])("answers the raw logic query %s like SQL", async (query, where) => {
    const res = await restFetch(`/${n.authors}?select=id&order=id&${query}`);
    expect(res.status).toBe(200);
    const direct = await sql.query<{ id: number }>(`select id from ${n.authors} where ${where} order by id`);
    expect(((await res.json()) as Array<{ id: number }>).map((r) => r.id)).toEqual(direct.rows.map((r) => r.id));
  });

  it.each([
    ["published=is.true", "published is true"],
    ["published=is.false", "published is false"],
    ["published=is.unknown", "published is unknown"],
    ["published=not.is.true", "published is not true"],
    ["note=is.not_null", "note is not null"],
    ["title=like.*e*&pages=gt.100", "title like '%e%' and pages > 100"],
  ])("answers the boolean and combined filter %s on books like SQL", async (query, where) => {
    const res = await restFetch(`/${n.books}?select=id&order=id&${query}`);
    expect(res.status).toBe(200);
    const direct = await sql.query<{ id: number }>(`select id from ${n.books} where ${where} order by id`);
    expect(((await res.json()) as Array<{ id: number }>).map((r) => r.id)).toEqual(direct.rows.map((r) => r.id));
  });

  it("combines several filters with and", async () => {
    const { rest, direct } = await compare(
      (q) => q.gte("id", 2).lte("id", 4).not("email", "is", null),
      "id between 2 and 4 and email is not null",
    );
    expect(rest).toEqual(direct);
    expect(rest).toEqual([2, 4]);
  });
});
