import type pg from "pg";
import { aclEntriesSql, loadAllPrivileges } from "./load-acl.ts";
import { renderComment, renderGrants, type TAclEntry } from "./render-sql.ts";

interface TSequenceRow {
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  owned_by: string | null;
  comment: string | null;
  acl: TAclEntry[];
}

/** `create sequence` for each sequence of the schema that is not an identity column's own. */
export async function dumpSequences(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<TSequenceRow>(
    `select c.oid::regclass::text as name, format_type(s.seqtypid, null) as type,
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
       s.seqcache::text as cache, s.seqcycle as cycle,
       (select a.attrelid::regclass::text || '.' || quote_ident(a.attname)
        from pg_depend d join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype = 'a') as owned_by,
       obj_description(c.oid, 'pg_class') as comment,
       ${aclEntriesSql("c.relacl", "s", "c.relowner")} as acl
     from pg_class c
     join pg_sequence s on s.seqrelid = c.oid
     where c.relnamespace = $1::regnamespace and c.relkind = 'S'
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('i', 'e'))
     order by c.relname collate "C"`,
    [schema],
  );
  const allPrivileges = await loadAllPrivileges(client, "s");
  return rows.map((s) =>
    [
      `create sequence ${s.name} as ${s.type} increment by ${s.increment} minvalue ${s.min} maxvalue ${s.max} start with ${s.start} cache ${s.cache}${s.cycle ? " cycle" : ""};`,
      ...(s.owned_by ? [`alter sequence ${s.name} owned by ${s.owned_by};`] : []),
      ...renderComment(`sequence ${s.name}`, s.comment),
      ...renderGrants(`sequence ${s.name}`, s.acl, allPrivileges),
    ].join("\n"),
  );
}
