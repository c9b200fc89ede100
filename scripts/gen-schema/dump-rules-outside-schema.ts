import type pg from "pg";
import { loadPolicies } from "./load-policies.ts";
import { loadTriggers } from "./load-triggers.ts";

/**
 * Row level security, triggers and policies that were put on tables outside the schema (say a
 * trigger on auth.users), grouped per table. System schemas are left out.
 */
export async function dumpRulesOutsideSchema(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows: tables } = await client.query<{ oid: string; name: string; rls: boolean }>(
    `select c.oid::text as oid, c.oid::regclass::text as name, c.relrowsecurity as rls
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     where n.nspname <> $1 and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       and (c.relrowsecurity
            or exists (select 1 from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal)
            or exists (select 1 from pg_policy p where p.polrelid = c.oid))
     order by n.nspname collate "C", c.relname collate "C"`,
    [schema],
  );
  const oids = tables.map((t) => t.oid);
  const triggers = await loadTriggers(client, oids);
  const policies = await loadPolicies(client, oids);
  return tables.map((table) =>
    [
      ...(table.rls ? [`alter table ${table.name} enable row level security;`] : []),
      ...(triggers.get(table.oid) ?? []),
      ...(policies.get(table.oid) ?? []),
    ].join("\n"),
  );
}
