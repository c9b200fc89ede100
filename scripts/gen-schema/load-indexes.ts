import type pg from "pg";
import { renderComment } from "./render-sql.ts";

/** The `create index` statements of each table, by table oid; indexes behind a constraint come with the constraint. */
export async function loadIndexes(client: pg.ClientBase, tableOids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table_oid: string; name: string; definition: string; comment: string | null }>(
    `select i.indrelid::text as table_oid, ic.oid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition,
       obj_description(i.indexrelid, 'pg_class') as comment
     from pg_index i
     join pg_class ic on ic.oid = i.indexrelid
     where i.indrelid = any ($1::oid[])
       and not exists (
         select 1 from pg_constraint k
         where k.conrelid = i.indrelid and k.conindid = i.indexrelid and k.contype in ('p', 'u', 'x')
       )
     order by i.indrelid, ic.relname collate "C"`,
    [tableOids],
  );
  const byTable = new Map<string, string[]>();
  for (const index of rows) {
    const statements = [`${index.definition};`, ...renderComment(`index ${index.name}`, index.comment)];
    byTable.set(index.table_oid, [...(byTable.get(index.table_oid) ?? []), ...statements]);
  }
  return byTable;
}
