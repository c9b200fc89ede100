import type pg from "pg";

/**
 * Fails when the schema holds something the generator does not write out yet (views, enums,
 * partitions, column grants, …), so supabase/schema.sql never leaves part of the schema out silently.
 */
export async function assertDumpableSchema(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ object: string }>(
    `select format('%s %s', case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'p' then 'partitioned table'
                              when 'c' then 'composite type' when 'f' then 'foreign table' else 'relation' end,
                   c.oid::regclass) as object
     from pg_class c
     where c.relnamespace = $1::regnamespace and c.relkind not in ('r', 'S', 'i')
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
     union all
     select format('inherited table %s', i.inhrelid::regclass)
     from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where c.relnamespace = $1::regnamespace
     union all
     select format('%s %s', case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'r' then 'range type'
                              when 'm' then 'multirange type' else 'type' end,
                   t.oid::regtype)
     from pg_type t
     where t.typnamespace = $1::regnamespace and t.typtype in ('b', 'd', 'e', 'r', 'm') and t.typcategory <> 'A'
       and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
     union all
     select format('aggregate %s', p.oid::regprocedure)
     from pg_proc p
     where p.pronamespace = $1::regnamespace and p.prokind = 'a'
       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     union all
     select format('column grants on %s.%s', a.attrelid::regclass, quote_ident(a.attname))
     from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relnamespace = $1::regnamespace and a.attacl is not null
     order by 1`,
    [schema],
  );
  if (rows.length > 0) {
    throw new Error(
      `supabase/schema.sql cannot show ${rows.map((r) => r.object).join(", ")} yet: teach scripts/gen-schema to write them out, then run \`pnpm gen:schema\``,
    );
  }
}
