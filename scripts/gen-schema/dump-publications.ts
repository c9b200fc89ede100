import type pg from "pg";

/** The tables each publication carries (with a column list or row filter when it has one), one statement per table. */
export async function dumpPublications(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ publication: string; table: string; columns: string | null; row_filter: string | null }>(
    `select quote_ident(p.pubname) as publication, pr.prrelid::regclass::text as table,
       (select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
        from pg_attribute a where a.attrelid = pr.prrelid and a.attnum = any (pr.prattrs)) as columns,
       pg_get_expr(pr.prqual, pr.prrelid) as row_filter
     from pg_publication p
     join pg_publication_rel pr on pr.prpubid = p.oid
     order by p.pubname collate "C", pr.prrelid::regclass::text collate "C"`,
  );
  if (rows.length === 0) return [];
  const statements = rows.map(
    (r) =>
      `alter publication ${r.publication} add table ${r.table}${r.columns ? ` (${r.columns})` : ""}${r.row_filter ? ` where (${r.row_filter})` : ""};`,
  );
  return [statements.join("\n")];
}
