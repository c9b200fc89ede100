import type pg from "pg";
import { qualifiedKey, type TColumn, type TForeignKey, type TFunction, type TSchemaCache, type TTable } from "./schema-cache.ts";

const TABLES_SQL = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.oid::int8::text as oid,
  coalesce((select array_agg(a.attname::text order by array_position(k.conkey, a.attnum))
    from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
    where k.conrelid = c.oid and k.contype = 'p'), '{}') as pk
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any ($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')`;

const COLUMNS_SQL = `
select n.nspname as schema, c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
  not a.attnotnull as nullable,
  case when a.attidentity <> '' then format('nextval(%L::regclass)', pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
       when a.attgenerated <> '' then null
       else pg_get_expr(d.adbin, d.adrelid) end as default_sql
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = any ($1) and c.relkind in ('r', 'v', 'm', 'f', 'p') and a.attnum > 0 and not a.attisdropped
order by c.oid, a.attnum`;

const FOREIGN_KEYS_SQL = `
select k.conname as name, n1.nspname as schema, c1.relname as table, n2.nspname as foreign_schema, c2.relname as foreign_table,
  (select array_agg(a.attname::text order by i) from unnest(k.conkey) with ordinality u(num, i)
     join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num) as columns,
  (select array_agg(a.attname::text order by i) from unnest(k.confkey) with ordinality u(num, i)
     join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num) as foreign_columns,
  exists (select 1 from pg_constraint u where u.conrelid = k.conrelid and u.contype in ('p', 'u')
     and u.conkey::int2[] @> k.conkey::int2[] and u.conkey::int2[] <@ k.conkey::int2[]) as unique
from pg_constraint k
join pg_class c1 on c1.oid = k.conrelid join pg_namespace n1 on n1.oid = c1.relnamespace
join pg_class c2 on c2.oid = k.confrelid join pg_namespace n2 on n2.oid = c2.relnamespace
where k.contype = 'f' and n1.nspname not in ('pg_catalog', 'information_schema') and n2.nspname not in ('pg_catalog', 'information_schema')`;

/**
 * Which table (or view) columns each exposed view shows under the same name: the columns its
 * rewrite rule depends on (pg_depend) that the view also has. PostgREST reads the view's query
 * tree and also follows renamed columns; matching by name covers the usual
 * \`create view v as select id, author_id, … from t\`.
 */
const VIEW_SOURCES_SQL = `
select distinct vn.nspname as view_schema, v.relname as view_name, tn.nspname as source_schema, t.relname as source_name, a.attname as column
from pg_class v
join pg_namespace vn on vn.oid = v.relnamespace
join pg_rewrite r on r.ev_class = v.oid
join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
join pg_class t on t.oid = d.refobjid and t.oid <> v.oid
join pg_namespace tn on tn.oid = t.relnamespace
join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
where v.relkind in ('v', 'm') and vn.nspname = any ($1)
  and exists (select 1 from pg_attribute va where va.attrelid = v.oid and va.attname = a.attname and va.attnum > 0 and not va.attisdropped)`;

/** The authenticator role's pgrst.* settings, which is how hosted Supabase turns PostgREST features on. */
const SETTINGS_SQL = `
select coalesce(bool_or(o.option_name = 'pgrst.db_aggregates_enabled' and lower(o.option_value) in ('true', 'on', '1')), false) as aggregates,
  coalesce(bool_or(o.option_name = 'pgrst.db_plan_enabled' and lower(o.option_value) in ('true', 'on', '1')), false) as plan
from pg_db_role_setting s
cross join lateral pg_options_to_table(s.setconfig) o
where s.setrole = (select oid from pg_roles where rolname = 'authenticator')
  and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))`;

const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.proretset as returns_set, p.provolatile as volatility,
  p.pronargs as nargs, p.prorows::float8 as rows, p.pronargdefaults as ndefaults,
  coalesce(p.proargnames, '{}') as arg_names,
  coalesce(p.proargmodes::text[], '{}') as arg_modes,
  coalesce((select array_agg(format_type(t, null) order by i) from unnest(p.proargtypes) with ordinality u(t, i)), '{}') as in_types,
  coalesce((select array_agg(format_type(t, null) order by i) from unnest(p.proallargtypes) with ordinality u(t, i)), '{}') as all_types,
  format_type(p.prorettype, null) as return_type,
  rt.typtype as return_typtype,
  rn.nspname as return_schema, rc.relname as return_table,
  (select an.nspname from pg_type at join pg_class ac on ac.oid = at.typrelid join pg_namespace an on an.oid = ac.relnamespace
     where at.oid = p.proargtypes[0]) as row_arg_schema,
  (select ac.relname from pg_type at join pg_class ac on ac.oid = at.typrelid where at.oid = p.proargtypes[0]) as row_arg_table
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
left join pg_class rc on rc.oid = rt.typrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any ($1) and p.prokind = 'f'`;

interface TFunctionRow {
  schema: string;
  name: string;
  returns_set: boolean;
  volatility: string;
  nargs: number;
  rows: number;
  ndefaults: number;
  arg_names: string[];
  arg_modes: string[];
  in_types: string[];
  all_types: string[];
  return_type: string;
  return_typtype: string;
  return_schema: string | null;
  return_table: string | null;
  row_arg_schema: string | null;
  row_arg_table: string | null;
}

/** Reads tables, columns, keys and functions of the exposed schemas from pg_catalog. */
export async function loadSchemaCache(pool: pg.Pool, schemas: string[]): Promise<TSchemaCache> {
  const [tables, columns, foreignKeys, functions, viewSources, settings] = await Promise.all([
    pool.query<{ schema: string; name: string; kind: string; pk: string[] }>(TABLES_SQL, [schemas]),
    pool.query<{ schema: string; table: string; name: string; type: string; nullable: boolean; default_sql: string | null }>(COLUMNS_SQL, [
      schemas,
    ]),
    pool.query<{
      name: string;
      schema: string;
      table: string;
      foreign_schema: string;
      foreign_table: string;
      columns: string[];
      foreign_columns: string[];
      unique: boolean;
    }>(FOREIGN_KEYS_SQL),
    pool.query<TFunctionRow>(FUNCTIONS_SQL, [schemas]),
    pool.query<{ view_schema: string; view_name: string; source_schema: string; source_name: string; column: string }>(VIEW_SOURCES_SQL, [
      schemas,
    ]),
    pool.query<{ aggregates: boolean; plan: boolean }>(SETTINGS_SQL),
  ]);

  const cache: TSchemaCache = {
    schemas,
    tables: new Map(),
    foreignKeys: [],
    computedRelationships: [],
    functions: new Map(),
    settings: { aggregatesEnabled: settings.rows[0]?.aggregates ?? false, planEnabled: settings.rows[0]?.plan ?? false },
  };
  for (const row of tables.rows) {
    const table: TTable = {
      schema: row.schema,
      name: row.name,
      kind: row.kind === "r" || row.kind === "p" || row.kind === "f" ? "table" : "view",
      columns: new Map(),
      primaryKey: row.pk,
      computed: new Map(),
      insertable: row.kind !== "m",
    };
    cache.tables.set(qualifiedKey(row.schema, row.name), table);
  }
  for (const row of columns.rows) {
    const column: TColumn = { name: row.name, type: row.type, nullable: row.nullable, defaultSql: row.default_sql };
    cache.tables.get(qualifiedKey(row.schema, row.table))?.columns.set(row.name, column);
  }
  for (const row of foreignKeys.rows) {
    const fk: TForeignKey = {
      name: row.name,
      schema: row.schema,
      table: row.table,
      columns: row.columns,
      foreignSchema: row.foreign_schema,
      foreignTable: row.foreign_table,
      foreignColumns: row.foreign_columns,
      unique: row.unique,
      viaView: false,
    };
    cache.foreignKeys.push(fk);
  }
  cache.foreignKeys.push(...foreignKeysThroughViews(cache.foreignKeys, viewSources.rows));
  for (const row of functions.rows) {
    const fn = toFunction(row);
    const owner =
      row.row_arg_table && row.row_arg_schema ? cache.tables.get(qualifiedKey(row.row_arg_schema, row.row_arg_table)) : undefined;
    if (
      owner &&
      owner.schema === row.schema &&
      fn.args.length === 1 &&
      !fn.returnsSet &&
      fn.returns.kind === "scalar" &&
      !owner.columns.has(fn.name)
    ) {
      owner.computed.set(fn.name, fn.returns.type);
    }
    if (owner && fn.args.length === 1 && fn.returns.kind === "composite" && fn.returns.table && fn.returns.schema) {
      cache.computedRelationships.push({
        schema: owner.schema,
        table: owner.name,
        functionSchema: fn.schema,
        functionName: fn.name,
        targetSchema: fn.returns.schema,
        targetTable: fn.returns.table,
        toOne: !fn.returnsSet || row.rows === 1,
      });
    }
    const key = qualifiedKey(row.schema, row.name);
    const list = cache.functions.get(key) ?? [];
    list.push(fn);
    cache.functions.set(key, list);
  }
  return cache;
}

/**
 * The foreign keys as seen from views: a view that shows all of a key's columns (of the table, or
 * of a view over it, recursively) takes part in the key like the table does, on either end.
 */
function foreignKeysThroughViews(
  keys: TForeignKey[],
  sources: Array<{ view_schema: string; view_name: string; source_schema: string; source_name: string; column: string }>,
): TForeignKey[] {
  /** source relation key -> views showing some of its columns, with which ones. */
  const viewsOf = new Map<string, Map<string, { schema: string; name: string; columns: Set<string> }>>();
  for (const row of sources) {
    const source = qualifiedKey(row.source_schema, row.source_name);
    const views = viewsOf.get(source) ?? new Map();
    const viewKey = qualifiedKey(row.view_schema, row.view_name);
    const view = views.get(viewKey) ?? { schema: row.view_schema, name: row.view_name, columns: new Set<string>() };
    view.columns.add(row.column);
    views.set(viewKey, view);
    viewsOf.set(source, views);
  }
  /** The relation itself and every view (over views) that shows all of `columns`. */
  const showing = (schema: string, name: string, columns: string[]): Array<{ schema: string; name: string; view: boolean }> => {
    const found = [{ schema, name, view: false }];
    const seen = new Set([qualifiedKey(schema, name)]);
    for (let i = 0; i < found.length && i < 64; i += 1) {
      const current = found[i] as { schema: string; name: string };
      for (const [viewKey, view] of viewsOf.get(qualifiedKey(current.schema, current.name)) ?? []) {
        if (seen.has(viewKey) || !columns.every((c) => view.columns.has(c))) continue;
        seen.add(viewKey);
        found.push({ schema: view.schema, name: view.name, view: true });
      }
    }
    return found;
  };
  const derived: TForeignKey[] = [];
  for (const fk of keys) {
    const froms = showing(fk.schema, fk.table, fk.columns);
    const tos = showing(fk.foreignSchema, fk.foreignTable, fk.foreignColumns);
    for (const from of froms) {
      for (const to of tos) {
        if (!from.view && !to.view) continue;
        derived.push({ ...fk, schema: from.schema, table: from.name, foreignSchema: to.schema, foreignTable: to.name, viaView: true });
      }
    }
  }
  return derived;
}

function toFunction(row: TFunctionRow): TFunction {
  const inNames =
    row.arg_modes.length === 0 ? row.arg_names : row.arg_names.filter((_, i) => ["i", "b", "v"].includes(row.arg_modes[i] ?? "i"));
  const firstDefault = row.nargs - row.ndefaults;
  const args = row.in_types.map((type, i) => ({ name: inNames[i] ?? "", type, hasDefault: i >= firstDefault }));
  let returns: TFunction["returns"];
  if (row.return_type === "void") returns = { kind: "void" };
  else if (row.return_typtype === "c" || row.return_type === "record") {
    returns = { kind: "composite", table: row.return_table, schema: row.return_schema };
  } else returns = { kind: "scalar", type: row.return_type };
  const outColumns = row.arg_modes
    .map((mode, i) => ({ mode, name: row.arg_names[i] ?? "", type: row.all_types[i] ?? "text" }))
    .filter((a) => a.mode === "o" || a.mode === "t" || a.mode === "b")
    .map(({ name, type }) => ({ name, type }));
  const volatility = row.volatility === "i" ? "immutable" : row.volatility === "s" ? "stable" : "volatile";
  return { schema: row.schema, name: row.name, args, outColumns, returns, returnsSet: row.returns_set, volatility };
}
