import type pg from "pg";
import type { TJwtClaims } from "../keys/jwt-keys.ts";
import type { TRelationColumn } from "./decode-pgoutput-message.ts";
import { codecForType, type TValueCodec } from "./encode-wal-value.ts";

/** The API roles a subscriber can have. */
export type TApiRole = TJwtClaims["role"];
const ROLES: readonly TApiRole[] = ["anon", "authenticated", "service_role"];

/** A table column as the change payload needs it. */
export interface TColumnInfo {
  name: string;
  /** pg_type.typname, what hosted Realtime puts in `columns[].type`. */
  type: string;
  /** format_type(), for casting primary key values in the RLS check. */
  sqlType: string;
  codec: TValueCodec;
  isPk: boolean;
  /** Whether each API role has SELECT on this column. */
  selectable: Record<TApiRole, boolean>;
}

/** Everything dispatching a change of one published table needs, read once per Relation message. */
export interface TRelationInfo {
  oid: number;
  schema: string;
  table: string;
  /** Quoted `"schema"."table"`. */
  qualified: string;
  rls: boolean;
  replicaIdentity: "default" | "nothing" | "full" | "index";
  /** Columns in attnum order (what `columns` lists). */
  columns: TColumnInfo[];
  /** Catalog column for each tuple position of the Relation message (undefined if unknown). */
  tupleColumns: Array<TColumnInfo | undefined>;
  /** Tuple positions of the primary key columns, in key order. */
  pkPositions: number[];
  /** Tuple position of each column by name. */
  positions: Map<string, number>;
  /** Whether a role can read the table at all (SELECT on every primary key column). */
  readable: Record<TApiRole, boolean>;
  loadedAt: number;
}

interface TCatalogRow {
  rls: boolean;
  pk: string[];
  columns: Array<{
    name: string;
    type: string;
    base: string;
    elem: string | null;
    sql: string;
    anon: boolean;
    authenticated: boolean;
    service_role: boolean;
  }>;
}

const CATALOG_SQL = `
select c.relrowsecurity as rls,
  coalesce((select array_agg(a.attname::text order by k.ord)
     from pg_index i
     cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
     join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where i.indrelid = c.oid and i.indisprimary), '{}') as pk,
  coalesce((select json_agg(json_build_object(
      'name', a.attname,
      'type', t.typname,
      'base', bt.typname,
      'elem', et.typname,
      'sql', format_type(a.atttypid, a.atttypmod),
      'anon', has_column_privilege('anon', c.oid, a.attnum, 'SELECT'),
      'authenticated', has_column_privilege('authenticated', c.oid, a.attnum, 'SELECT'),
      'service_role', has_column_privilege('service_role', c.oid, a.attnum, 'SELECT')) order by a.attnum)
     from pg_attribute a
     join pg_type t on t.oid = a.atttypid
     join pg_type bt on bt.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
     left join pg_type et on et.oid = bt.typelem and bt.typcategory = 'A'
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns
from pg_class c where c.oid = $1`;

/** Reads RLS flag, primary key, column types and column privileges of a table from the catalog. */
export async function loadRelationInfo(
  adminPool: pg.Pool,
  relation: { oid: number; schema: string; name: string; replicaIdentity: TRelationInfo["replicaIdentity"]; columns: TRelationColumn[] },
): Promise<TRelationInfo> {
  const { rows } = await adminPool.query<TCatalogRow>(CATALOG_SQL, [relation.oid]);
  const row = rows[0];
  if (!row) throw new Error(`table ${relation.schema}.${relation.name} (oid ${relation.oid}) is gone from the catalog`);
  const pk = new Set(row.pk);
  const columns: TColumnInfo[] = row.columns.map((c) => ({
    name: c.name,
    type: c.type,
    sqlType: c.sql,
    codec: codecForType(c.base, c.elem),
    isPk: pk.has(c.name),
    selectable: { anon: c.anon, authenticated: c.authenticated, service_role: c.service_role },
  }));
  const byName = new Map(columns.map((c) => [c.name, c]));
  const tupleColumns = relation.columns.map((c) => byName.get(c.name));
  const pkPositions = row.pk.map((name) => relation.columns.findIndex((c) => c.name === name)).filter((i) => i >= 0);
  const readable = {} as Record<TApiRole, boolean>;
  for (const role of ROLES) {
    const pkColumns = columns.filter((c) => c.isPk);
    readable[role] = pkColumns.length > 0 ? pkColumns.every((c) => c.selectable[role]) : columns.some((c) => c.selectable[role]);
  }
  return {
    oid: relation.oid,
    schema: relation.schema,
    table: relation.name,
    qualified: `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`,
    rls: row.rls,
    replicaIdentity: relation.replicaIdentity,
    columns,
    tupleColumns,
    pkPositions,
    positions: new Map(relation.columns.map((c, i) => [c.name, i])),
    readable,
    loadedAt: Date.now(),
  };
}

/** Double-quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
