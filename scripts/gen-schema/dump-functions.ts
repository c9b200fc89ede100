import type pg from "pg";
import { aclEntriesSql, loadAllPrivileges } from "./load-acl.ts";
import { renderComment, renderGrants, type TAclEntry } from "./render-sql.ts";

interface TFunctionRow {
  kind: "function" | "procedure";
  signature: string;
  definition: string;
  comment: string | null;
  acl: TAclEntry[];
}

/** Each function and procedure of the schema as Postgres holds it now (`pg_get_functiondef`), with its comment and grants. */
export async function dumpFunctions(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<TFunctionRow>(
    `select case when p.prokind = 'p' then 'procedure' else 'function' end as kind, p.oid::regprocedure::text as signature,
       pg_get_functiondef(p.oid) as definition, obj_description(p.oid, 'pg_proc') as comment,
       ${aclEntriesSql("p.proacl", "f", "p.proowner")} as acl
     from pg_proc p
     where p.pronamespace = $1::regnamespace and p.prokind in ('f', 'p', 'w')
       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     order by p.proname collate "C", pg_get_function_identity_arguments(p.oid) collate "C"`,
    [schema],
  );
  const allPrivileges = await loadAllPrivileges(client, "f");
  return rows.map((fn) =>
    [
      `${fn.definition.trimEnd()};`,
      ...renderComment(`${fn.kind} ${fn.signature}`, fn.comment),
      ...renderGrants(`${fn.kind} ${fn.signature}`, fn.acl, allPrivileges),
    ].join("\n"),
  );
}
