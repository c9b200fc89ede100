import type pg from "pg";
import { renderComment } from "./render-sql.ts";

const ENABLED: Record<string, string | undefined> = { D: "disable trigger", R: "enable replica trigger", A: "enable always trigger" };

/** The `create trigger` statements of each table, by table oid (a trigger not firing normally says so). */
export async function loadTriggers(client: pg.ClientBase, tableOids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{
    table_oid: string;
    table: string;
    name: string;
    definition: string;
    enabled: string;
    comment: string | null;
  }>(
    `select t.tgrelid::text as table_oid, t.tgrelid::regclass::text as table, quote_ident(t.tgname) as name,
       pg_get_triggerdef(t.oid) as definition, t.tgenabled::text as enabled, obj_description(t.oid, 'pg_trigger') as comment
     from pg_trigger t
     where t.tgrelid = any ($1::oid[]) and not t.tgisinternal
     order by t.tgrelid, t.tgname collate "C"`,
    [tableOids],
  );
  const byTable = new Map<string, string[]>();
  for (const trigger of rows) {
    const enabled = ENABLED[trigger.enabled];
    const statements = [
      `${trigger.definition};`,
      ...(enabled ? [`alter table ${trigger.table} ${enabled} ${trigger.name};`] : []),
      ...renderComment(`trigger ${trigger.name} on ${trigger.table}`, trigger.comment),
    ];
    byTable.set(trigger.table_oid, [...(byTable.get(trigger.table_oid) ?? []), ...statements]);
  }
  return byTable;
}
