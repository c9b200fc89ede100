import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createRestFixtures,
  dropRestFixtures,
  restFetch,
  type TRestFixtureNames,
  waitForSchemaCache,
} from "../../testing/rest-fixtures.ts";
import { serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// Planner counts, PostgREST's CSV, explain() behind pgrst.db_plan_enabled, and the exposed schemas
// of config.toml ([api] schemas, extra_search_path) with Accept-Profile / Content-Profile.

let sql: pg.Pool;
let n: TRestFixtureNames;
const p = "rest_media";
const stale = `${p}_stale`;
const searchPath = `${p}_search_path`;
const timeZone = `${p}_time_zone`;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, p);
  // Statistics that say 300 rows while 100 remain: the planner's estimate and the exact count differ.
  await sql.query(`
    drop table if exists ${stale};
    create table ${stale} (id int primary key) with (autovacuum_enabled = false);
    insert into ${stale} select generate_series(1, 300);
    analyze ${stale};
    delete from ${stale} where id > 100;
    create or replace function ${searchPath}() returns text language sql stable as $$ select current_setting('search_path') $$;
    create or replace function ${timeZone}() returns text language sql stable as $$ select current_setting('TimeZone') $$;
  `);
  await waitForSchemaCache([stale]);
});
afterAll(async () => {
  await sql.query(`alter role authenticator reset pgrst.db_plan_enabled; notify pgrst, 'reload config';`);
  await sql.query(`drop table if exists ${stale}; drop function if exists ${searchPath}(), ${timeZone}();`);
  await dropRestFixtures(sql, n);
  await sql.end();
});

describe("counts", () => {
  it("answers HEAD with count=planned from the planner's estimate, not the rows", async () => {
    const planned = await serviceClient().from(stale).select("*", { count: "planned", head: true });
    expect(planned.error).toBeNull();
    const explained = await sql.query(`explain (format json) select 1 from ${stale}`);
    expect(planned.count).toBe(explained.rows[0]["QUERY PLAN"][0].Plan["Plan Rows"]);
    expect(planned.count).toBeGreaterThan(100);
  });

  it("answers count=estimated with the exact count while it is under max_rows", async () => {
    const estimated = await serviceClient().from(stale).select("*", { count: "estimated", head: true });
    expect(estimated.error).toBeNull();
    expect(estimated.count).toBe(100);
  });
});

describe("CSV", () => {
  it("writes rows in Postgres' text format with PostgREST's quoting", async () => {
    const { data, error } = await serviceClient().from(n.authors).select("id,name,tags,email").in("id", [1, 3]).order("id").csv();
    expect(error).toBeNull();
    expect(data).toBe('id,name,tags,email\n1,Ada,"{math,poetry}",ada@example.test\n3,"Chloé, ""the quoted""",{},');
  });

  it("writes booleans as t/f and keeps the header line for an empty result", async () => {
    const books = await serviceClient().from(n.books).select("id,published").in("id", [1, 3]).order("id").csv();
    expect(books.data).toBe("id,published\n1,t\n3,f");
    const none = await serviceClient().from(n.books).select("id").eq("id", -1).csv();
    expect(none.data).toBe("\n");
  });
});

describe("explain()", () => {
  it("is refused with 406 PGRST107 until pgrst.db_plan_enabled is on, as on hosted Supabase", async () => {
    const { error, status } = await serviceClient().from(n.books).select("id").explain();
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST107");
  });

  it("returns the plan as text or JSON once enabled", async () => {
    await sql.query(`alter role authenticator set pgrst.db_plan_enabled = 'true'; notify pgrst, 'reload config';`);
    // The config reload is asynchronous: until PostgREST has re-read the role settings it still answers 406.
    const text = await vi.waitFor(
      async () => {
        const attempt = await serviceClient().from(n.books).select("id").eq("id", 1).explain();
        expect(attempt.status).not.toBe(406);
        return attempt;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(text.error).toBeNull();
    expect(String(text.data)).toMatch(/Aggregate|Scan/);
    const json = await serviceClient().from(n.books).select("id").explain({ format: "json", analyze: true });
    expect(json.error).toBeNull();
    const plan = json.data as unknown as Array<{ Plan: { "Node Type": string; "Actual Rows"?: number } }>;
    expect(plan[0]?.Plan["Node Type"]).toBe("Aggregate");
    expect(plan[0]?.Plan["Actual Rows"]).toBe(1);
  });
});

describe("exposed schemas", () => {
  it("refuses a schema config.toml does not expose with 406 PGRST106", async () => {
    const { error, status } = await serviceClient().schema("auth").from("users").select("id");
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
    expect(error?.message).toBe("Invalid schema: auth");
    expect(error?.hint).toBe("Only the following schemas are exposed: public, graphql_public");
  });

  it("names the chosen schema in Content-Profile and sets the request's search_path with extra_search_path", async () => {
    const res = await restFetch(`/rpc/${searchPath}`, {
      method: "POST",
      headers: { "content-profile": "public", "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-profile")).toBe("public");
    expect(await res.json()).toBe('"public", "extensions"');
  });
});

describe("Prefer", () => {
  it("refuses preferences PostgREST does not know under handling=strict (PGRST122)", async () => {
    const res = await restFetch(`/${n.books}?select=id`, { headers: { prefer: "handling=strict, foo, bar" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PGRST122", details: "Invalid preferences: foo, bar" });
    const lenient = await restFetch(`/${n.books}?select=id&id=eq.1`, { headers: { prefer: "foo" } });
    expect(lenient.status).toBe(200);
  });

  it("sets the transaction's time zone with timezone=…", async () => {
    const res = await restFetch(`/rpc/${timeZone}`, {
      method: "POST",
      headers: { prefer: "timezone=America/Los_Angeles", "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("timezone=America/Los_Angeles");
    expect(await res.json()).toBe("America/Los_Angeles");
    const wrong = await restFetch(`/rpc/${timeZone}`, { method: "POST", headers: { prefer: "timezone=Jupiter/Red_Spot" } });
    expect(wrong.status).toBe(400);
  });
});
