import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientForNewUser, createRestFixtures, dropRestFixtures, type TRestFixtureNames } from "../../testing/rest-fixtures.ts";
import { anonClient, serviceClient, signedInClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let n: TRestFixtureNames;

beforeAll(async () => {
  sql = sqlPool();
  n = await createRestFixtures(sql, "rest_rls");
});
afterAll(async () => {
  await dropRestFixtures(sql, n);
  await sql.end();
});

describe("row level security", () => {
  it("refuses anon reads of a table whose grants were revoked with 401 42501", async () => {
    const { error, status } = await anonClient().from(n.notes).select("*");
    expect(status).toBe(401);
    expect(error?.code).toBe("42501");
  });

  it("refuses anon writes of a table whose grants were revoked", async () => {
    const { error, status } = await anonClient().from(n.notes).insert({ body: "x", owner_id: crypto.randomUUID() });
    expect(status).toBe(401);
    expect(error?.code).toBe("42501");
    const direct = await sql.query(`select count(*)::int as c from ${n.notes}`);
    expect(direct.rows[0].c).toBe(0);
  });

  it("shows anon zero rows of an RLS table that has grants but no policy", async () => {
    const { data, error } = await anonClient().from(n.open).select("*");
    expect(error).toBeNull();
    expect(data).toEqual([]);
    const direct = await sql.query(`select count(*)::int as c from ${n.open}`);
    expect(direct.rows[0].c).toBeGreaterThan(0);
  });

  it("shows a signed-in user only the rows its policy allows", async () => {
    const alice = await clientForNewUser(sql);
    const bob = await clientForNewUser(sql);
    const mine = await alice.client.from(n.notes).insert({ body: "alice's" }).select("owner_id,body").single();
    expect(mine.error).toBeNull();
    expect(mine.data).toEqual({ owner_id: alice.userId, body: "alice's" });
    await bob.client.from(n.notes).insert({ body: "bob's" });
    const { data } = await alice.client.from(n.notes).select("body");
    expect(data).toEqual([{ body: "alice's" }]);
    const { data: all } = await serviceClient().from(n.notes).select("body").order("body");
    expect(all).toEqual([{ body: "alice's" }, { body: "bob's" }]);
  });

  it("applies the policy to a user signed in through the auth API", async () => {
    const user = await signedInClient("rest-rls");
    const inserted = await user.client.from(n.notes).insert({ body: "through auth" }).select("owner_id").single();
    expect(inserted.error).toBeNull();
    expect(inserted.data?.owner_id).toBe(user.userId);
    const { data } = await user.client.from(n.notes).select("body");
    expect(data).toEqual([{ body: "through auth" }]);
  });

  it("returns zero rows for an update blocked by the USING clause and changes nothing", async () => {
    const alice = await clientForNewUser(sql);
    const bob = await clientForNewUser(sql);
    const note = await alice.client.from(n.notes).insert({ body: "keep me" }).select("id").single();
    const { data, error, status } = await bob.client.from(n.notes).update({ body: "hijacked" }).eq("id", note.data?.id).select();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([]);
    const direct = await sql.query(`select body from ${n.notes} where id = $1`, [note.data?.id]);
    expect(direct.rows[0].body).toBe("keep me");
  });

  it("returns 204 for a delete blocked by USING and keeps the row", async () => {
    const alice = await clientForNewUser(sql);
    const bob = await clientForNewUser(sql);
    const note = await alice.client.from(n.notes).insert({ body: "still here" }).select("id").single();
    const { status, error } = await bob.client.from(n.notes).delete().eq("id", note.data?.id);
    expect(error).toBeNull();
    expect(status).toBe(204);
    const direct = await sql.query(`select count(*)::int as c from ${n.notes} where id = $1`, [note.data?.id]);
    expect(direct.rows[0].c).toBe(1);
  });

  it("fails an insert blocked by WITH CHECK with 403 42501", async () => {
    const alice = await clientForNewUser(sql);
    const { error, status } = await alice.client.from(n.notes).insert({ body: "forged", owner_id: crypto.randomUUID() });
    expect(status).toBe(403);
    expect(error?.code).toBe("42501");
    expect(error?.message).toBe(`new row violates row-level security policy for table "${n.notes}"`);
  });

  it("lets the service role bypass RLS", async () => {
    const { data, error } = await serviceClient().from(n.open).select("body");
    expect(error).toBeNull();
    expect(data).toEqual([{ body: "hidden by RLS" }]);
  });
});
