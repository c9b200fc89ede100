import type pg from "pg";
import { renderComment } from "./render-sql.ts";

const COMMANDS: Record<string, string> = { "*": "all", r: "select", a: "insert", w: "update", d: "delete" };

interface TPolicyRow {
  table_oid: string;
  table: string;
  name: string;
  permissive: boolean;
  command: string;
  roles: string;
  using_expr: string | null;
  check_expr: string | null;
  comment: string | null;
}

/** The `create policy` statements of each table, by table oid. */
export async function loadPolicies(client: pg.ClientBase, tableOids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await client.query<TPolicyRow>(
    `select p.polrelid::text as table_oid, p.polrelid::regclass::text as table, quote_ident(p.polname) as name,
       p.polpermissive as permissive, p.polcmd::text as command,
       (select string_agg(r.name, ', ' order by r.name collate "C")
        from (select case when x = 0 then 'public' else x::regrole::text end as name from unnest(p.polroles) x) r) as roles,
       pg_get_expr(p.polqual, p.polrelid) as using_expr, pg_get_expr(p.polwithcheck, p.polrelid) as check_expr,
       obj_description(p.oid, 'pg_policy') as comment
     from pg_policy p
     where p.polrelid = any ($1::oid[])
     order by p.polrelid, p.polname collate "C"`,
    [tableOids],
  );
  const byTable = new Map<string, string[]>();
  for (const policy of rows) {
    const clauses = [
      `create policy ${policy.name} on ${policy.table}`,
      `  as ${policy.permissive ? "permissive" : "restrictive"} for ${COMMANDS[policy.command] ?? policy.command} to ${policy.roles}`,
      ...(policy.using_expr === null ? [] : [`  using (${policy.using_expr})`]),
      ...(policy.check_expr === null ? [] : [`  with check (${policy.check_expr})`]),
    ];
    const statements = [`${clauses.join("\n")};`, ...renderComment(`policy ${policy.name} on ${policy.table}`, policy.comment)];
    byTable.set(policy.table_oid, [...(byTable.get(policy.table_oid) ?? []), ...statements]);
  }
  return byTable;
}
