import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRestFixtures,
  dropRestFixtures,
  restFetch,
  type TRestFixtureNames,
  waitForSchemaCache,
} from "../../testing/rest-fixtures.ts";
import { anonClient, serviceClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_err");
});
afterAll(async () => {
  await sql.query("drop table if exists rest_err_late");
  await dropRestFixtures(sql, n);
  await sql.end();
});

interface TBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
  swagger?: string;
  paths: Record<string, unknown>;
  definitions: Record<string, { properties: Record<string, unknown> }>;
}

async function json(res: Response): Promise<TBody> {
  return (await res.json()) as TBody;
}

const isPostgrestShaped = (body: unknown) =>
  expect(body).toEqual({
    code: expect.any(String),
    message: expect.any(String),
    details: expect.toBeOneOf([null, expect.any(String)]),
    hint: expect.toBeOneOf([null, expect.any(String)]),
  });

describe("errors", () => {
  it("answers an unknown table with 404 PGRST205", async () => {
    const { error, status } = await anonClient().from("rest_err_nowhere").select("*");
    expect(status).toBe(404);
    expect(error).toMatchObject({ code: "PGRST205", message: "Could not find the table 'public.rest_err_nowhere' in the schema cache" });
  });

  it("answers an unknown column in select with 400 42703", async () => {
    const { error, status } = await serviceClient().from(n.books).select("id,nope");
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: "42703", message: `column ${n.books}.nope does not exist` });
  });

  it("answers an unknown column in a filter with 400 42703", async () => {
    const { error, status } = await serviceClient().from(n.books).select("id").eq("nope", 1);
    expect(status).toBe(400);
    expect(error?.code).toBe("42703");
  });

  it("answers a select that does not parse with 400 PGRST100 naming the parameter", async () => {
    const res = await restFetch(`/${n.books}?select=id,(`);
    expect(res.status).toBe(400);
    const body = await json(res);
    isPostgrestShaped(body);
    expect(body.code).toBe("PGRST100");
    expect(body.message).toContain("select parameter");
  });

  it("answers an unknown operator with 400 PGRST100", async () => {
    const res = await restFetch(`/${n.books}?id=between.1`);
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe("PGRST100");
  });

  it("answers a value of the wrong type in a filter with 400 22P02", async () => {
    const { error, status } = await serviceClient().from(n.books).select("id").eq("id", "abc");
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
  });

  it("answers a bad limit with 400 PGRST100", async () => {
    const res = await restFetch(`/${n.books}?limit=-1`);
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe("PGRST100");
  });

  it("refuses deeply nested or trees with 400 instead of exhausting Postgres' stack", async () => {
    const deep = `${"or(id.eq.1,".repeat(200)}id.eq.2${")".repeat(200)}`;
    const res = await restFetch(`/${n.books}?or=(${encodeURIComponent(deep)})`);
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe("PGRST100");
  });

  it("refuses deeply nested embeds with 400", async () => {
    const deep = `${`${n.books}(`.repeat(30)}id${")".repeat(30)}`;
    const res = await restFetch(`/${n.authors}?select=${encodeURIComponent(deep)}`);
    expect(res.status).toBe(400);
  });

  it("answers a path that is not valid percent-encoding with 400", async () => {
    const res = await restFetch("/%E0%A4%A");
    expect(res.status).toBe(400);
  });

  it("answers a request without a key with 401", async () => {
    const res = await fetch(`${stackInfo().url}/rest/v1/${n.books}`);
    expect(res.status).toBe(401);
  });

  it("refuses PUT with a clear 400 instead of doing something else", async () => {
    const res = await restFetch(`/${n.books}?id=eq.1`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: 1, title: "x" }),
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain("PUT");
  });
});

describe("schema profiles", () => {
  it("refuses Accept-Profile for a schema that is not exposed with 406 PGRST106", async () => {
    const { error, status } = await serviceClient().schema("auth").from("users").select("*");
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
  });

  it("refuses Content-Profile for a schema that is not exposed on writes", async () => {
    const { error, status } = await serviceClient().schema("auth").from("users").insert({ email: "x@example.test" });
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
    const direct = await sql.query("select count(*)::int as c from auth.users where email = 'x@example.test'");
    expect(direct.rows[0].c).toBe(0);
  });

  it("accepts Accept-Profile public", async () => {
    const { error } = await serviceClient().schema("public").from(n.books).select("id").limit(1);
    expect(error).toBeNull();
  });
});

describe("schema cache", () => {
  it("describes the exposed tables at GET /rest/v1/", async () => {
    const res = await restFetch("/", { key: stackInfo().anonKey });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.swagger).toBe("2.0");
    expect(Object.keys(body.paths)).toContain(`/${n.books}`);
    expect(body.definitions[n.books]?.properties.title).toEqual({ format: "text" });
  });

  it("sees a table created after start-up once DDL notifies pgrst", async () => {
    await sql.query("create table rest_err_late (id int primary key, label text); insert into rest_err_late values (1, 'late')");
    await waitForSchemaCache(["rest_err_late"]);
    const { data, error } = await serviceClient().from("rest_err_late").select("label");
    expect(error).toBeNull();
    expect(data).toEqual([{ label: "late" }]);
  });

  it("reconnects its LISTEN connection after Postgres drops it and still sees new tables", async () => {
    const killed = await sql.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen pgrst' and application_name = 'mc-gateway-admin'",
    );
    expect(killed.rowCount).toBe(1);
    await sql.query("create table rest_err_after_drop (id int primary key)");
    try {
      await waitForSchemaCache(["rest_err_after_drop"]);
      const { error } = await serviceClient().from("rest_err_after_drop").select("id");
      expect(error).toBeNull();
    } finally {
      await sql.query("drop table rest_err_after_drop");
    }
  });

  it("sees a new column after ALTER TABLE", async () => {
    await sql.query(`alter table ${n.reviews} add column helpful int default 0`);
    let result: { error: unknown; data: unknown } = { error: "not yet", data: null };
    for (let i = 0; i < 50 && result.error; i += 1) {
      result = await serviceClient().from(n.reviews).select("helpful").limit(1);
      if (result.error) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(result.error).toBeNull();
    expect(result.data).toEqual([{ helpful: 0 }]);
  });
});
