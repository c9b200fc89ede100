import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestFixtures, dropRestFixtures, restFetch, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { sqlPool, stackInfo } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_fz");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

const nasty = fc.constantFrom(
  "'; drop table rest_fz_authors; --",
  '"); delete from rest_fz_books; --',
  "1; select pg_sleep(5)",
  "\\",
  "'",
  '"',
  "\u0000",
  "ünïcødé 🚀",
  "99999999999999999999999999999",
  "-1e309",
  "(",
  ")",
  ",",
  ".",
  "*",
  "{",
  "}",
  "%",
  "NULL",
  "null",
  "",
);
const value = fc.oneof(
  nasty,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.bigInt().map(String),
  fc.double().map(String),
);
const column = fc.oneof(
  fc.constantFrom("id", "name", "email", "born", "rating", "tags", "meta", "bio", "span", "meta->>city", "meta->langs"),
  value,
);
const operator = fc.oneof(
  fc.constantFrom(
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "like",
    "ilike",
    "match",
    "imatch",
    "is",
    "in",
    "cs",
    "cd",
    "ov",
    "sl",
    "sr",
    "nxr",
    "nxl",
    "adj",
  ),
  fc.constantFrom("fts", "plfts", "phfts", "wfts", "fts(english)", "eq(any)", "like(all)", "not.eq", "not.in", "isdistinct"),
  value,
);
const filterParam = fc.tuple(column, operator, value).map(([c, o, v]) => [c, `${o}.${v}`] as [string, string]);
const inParam = fc.tuple(column, fc.array(value, { maxLength: 4 })).map(([c, vs]) => [c, `in.(${vs.join(",")})`] as [string, string]);
const logicParam = fc
  .tuple(fc.constantFrom("or", "and", "not.or"), fc.array(fc.tuple(column, operator, value), { maxLength: 3 }))
  .map(([k, conds]) => [k, `(${conds.map(([c, o, v]) => `${c}.${o}.${v}`).join(",")})`] as [string, string]);
const selectParam = fc
  .array(fc.oneof(column, fc.constantFrom("*", `${"rest_fz_books"}(*)`, "x:id", "id::text", "a:b!c(d)", "id,"), value), { maxLength: 4 })
  .map((cols) => ["select", cols.join(",")] as [string, string]);
const modifierParam = fc
  .tuple(fc.constantFrom("order", "limit", "offset", "columns", "on_conflict", "rest_fz_books.limit"), value)
  .map(([k, v]) => [k, v] as [string, string]);
const queryParams = fc.array(fc.oneof(filterParam, inParam, logicParam, selectParam, modifierParam), { maxLength: 5 });

async function fingerprint(): Promise<string> {
  const result = await sql.query(
    `select (select count(*) from ${n.authors})::text || ':' || (select count(*) from ${n.books})::text || ':' || (select md5(string_agg(a::text, '|' order by a.id)) from ${n.authors} as a) as f`,
  );
  return result.rows[0].f;
}

function expectPostgrestError(status: number, body: unknown): void {
  expect(status, JSON.stringify(body)).toBeLessThan(500);
  if (status >= 400) {
    expect(body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(Object.keys(body as object).sort()).toEqual(["code", "details", "hint", "message"]);
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

describe("fuzzing the REST API", () => {
  it("never answers a random query string with a 5xx or runs injected SQL", async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(n.authors, n.books), queryParams, async (table, params) => {
        const search = new URLSearchParams(params).toString();
        const res = await restFetch(`/${table}?${search}`, { headers: { prefer: "count=exact" } });
        expectPostgrestError(res.status, await readBody(res));
      }),
      { numRuns: 300 },
    );
    expect(await fingerprint()).toBe(before);
  });

  it("never answers a raw, unencoded query string with a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (raw) => {
        const res = await fetch(`${stackInfo().url}/rest/v1/${n.authors}?${raw.replaceAll("#", "%23")}`, {
          headers: { apikey: stackInfo().anonKey, authorization: `Bearer ${stackInfo().anonKey}` },
        });
        expectPostgrestError(res.status, await readBody(res));
      }),
      { numRuns: 150 },
    );
  });

  it("never answers random write bodies with a 5xx, and rolled-back writes change nothing", async () => {
    const before = await fingerprint();
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          id: fc.oneof(fc.integer(), value),
          name: value,
          rating: fc.oneof(value, fc.double()),
          tags: fc.array(value),
          meta: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("POST", "PATCH", "DELETE"), body, queryParams, async (method, payload, params) => {
        const search = new URLSearchParams(params).toString();
        const res = await restFetch(`/${n.authors}?${search}`, {
          method,
          headers: { "content-type": "application/json", prefer: "return=representation, tx=rollback" },
          body: method === "DELETE" ? undefined : JSON.stringify(payload),
        });
        expectPostgrestError(res.status, await readBody(res));
      }),
      { numRuns: 300 },
    );
    expect(await fingerprint()).toBe(before);
  });

  it("never answers random RPC arguments with a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.constantFrom("a", "b"), fc.string({ maxLength: 5 })), fc.oneof(value, fc.jsonValue({ maxDepth: 1 }))),
        async (args) => {
          const res = await restFetch(`/rpc/${n.add}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(args),
          });
          expectPostgrestError(res.status, await readBody(res));
        },
      ),
      { numRuns: 150 },
    );
  });
});
