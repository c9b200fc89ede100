import { describeDrift, diffPublication, REALTIME_TABLES } from "@mission-control/shared/realtime";
import { afterAll, describe, expect, it } from "vitest";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

const pool = sqlPool();
afterAll(() => pool.end());

describe("the supabase_realtime publication after all migrations", () => {
  it("holds exactly the tables of the shared realtime registry", async () => {
    const { rows } = await pool.query<{ schema: string; table: string }>(
      "select schemaname as schema, tablename as table from pg_publication_tables where pubname = 'supabase_realtime'",
    );
    const drift = diffPublication(REALTIME_TABLES, rows);
    expect(drift, describeDrift(drift)).toEqual({ missingFromPublication: [], notInRegistry: [] });
  });

  it("gives every registered table a primary key and a monotonic seq column for catch-up", async () => {
    for (const { schema, table } of REALTIME_TABLES) {
      const { rows } = await pool.query<{ has_pk: boolean; has_seq: boolean }>(
        `select
           exists (select 1 from pg_constraint where conrelid = format('%I.%I', $1::text, $2::text)::regclass and contype = 'p') as has_pk,
           exists (select 1 from information_schema.columns where table_schema = $1 and table_name = $2 and column_name = 'seq') as has_seq`,
        [schema, table],
      );
      expect(rows[0], `${schema}.${table}`).toEqual({ has_pk: true, has_seq: true });
    }
  });

  it("reports the publication through an RPC only the service role may call", async () => {
    const { data, error } = await serviceClient().rpc("realtime_publication_status");
    expect(error).toBeNull();
    const names = (data as Array<{ schema_name: string; table_name: string }>).map((r) => `${r.schema_name}.${r.table_name}`);
    expect(names.sort()).toEqual(REALTIME_TABLES.map((t) => `${t.schema}.${t.table}`).sort());
    const denied = await anonClient().rpc("realtime_publication_status");
    expect(denied.error).not.toBeNull();
  });
});
