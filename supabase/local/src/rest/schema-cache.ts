import { httpError } from "../http/http-helpers.ts";

/** One column of a table or view, as the schema cache knows it. */
export interface TColumn {
  name: string;
  /** `format_type` of the column, e.g. `integer`, `text[]`, `timestamp with time zone`. */
  type: string;
  nullable: boolean;
  /** Default expression from the catalog (trusted SQL), or null. */
  defaultSql: string | null;
}

/** A foreign key from `table.columns` to `foreignTable.foreignColumns`. */
export interface TForeignKey {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  foreignSchema: string;
  foreignTable: string;
  foreignColumns: string[];
  /** The referencing columns are unique, so the relationship is one-to-one. */
  unique: boolean;
  /**
   * Either end is a view that exposes the key's columns of a table (PostgREST follows views to
   * their tables' foreign keys). Such a key cannot be named by its constraint as an embed target.
   */
  viaView: boolean;
}

/**
 * A computed relationship: a function taking a row of `schema.table` and returning rows (or one
 * row) of `targetSchema.targetTable`, embedded by the function's name like a foreign key.
 */
export interface TComputedRelationship {
  schema: string;
  table: string;
  functionSchema: string;
  functionName: string;
  targetSchema: string;
  targetTable: string;
  /** `returns T` or `returns setof T rows 1`. */
  toOne: boolean;
}

/** A table, view or materialized view in an exposed schema. */
export interface TTable {
  schema: string;
  name: string;
  kind: "table" | "view";
  columns: Map<string, TColumn>;
  primaryKey: string[];
  insertable: boolean;
  /** Computed fields: functions of this table's row type, by name, with their return type. */
  computed: Map<string, string>;
}

/** One argument of a function. */
export interface TFunctionArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

/** A function callable through `/rpc`. */
export interface TFunction {
  schema: string;
  name: string;
  args: TFunctionArg[];
  /** OUT / TABLE columns of functions returning `record` or `table (...)`. */
  outColumns: Array<{ name: string; type: string }>;
  /** What comes back: nothing, one scalar, a row of `table`, or rows with their own columns. */
  returns: { kind: "void" } | { kind: "scalar"; type: string } | { kind: "composite"; table: string | null; schema: string | null };
  returnsSet: boolean;
  volatility: "immutable" | "stable" | "volatile";
}

/** Everything the REST module knows about the database; replaced as a whole on reload. */
export interface TSchemaCache {
  schemas: string[];
  tables: Map<string, TTable>;
  foreignKeys: TForeignKey[];
  computedRelationships: TComputedRelationship[];
  functions: Map<string, TFunction[]>;
  /** Role settings of `authenticator`, as hosted Supabase configures PostgREST (`pgrst.db_aggregates_enabled`, `pgrst.db_plan_enabled`). */
  settings: { aggregatesEnabled: boolean; planEnabled: boolean };
}

/** Key of a table or function in the cache maps. */
export function qualifiedKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** Looks a table up or throws PostgREST's 404 PGRST205. */
export function requireTable(cache: TSchemaCache, schema: string, name: string): TTable {
  const table = cache.tables.get(qualifiedKey(schema, name));
  if (!table) {
    throw httpError(
      404,
      "PGRST205",
      `Could not find the table '${schema}.${name}' in the schema cache`,
      null,
      "Check the table name; if you just created it, the schema cache reloads on the next DDL notification (NOTIFY pgrst, 'reload schema')",
    );
  }
  return table;
}

/** Looks a column up or throws the 400 / 42703 PostgREST passes through from Postgres. */
export function requireColumn(table: TTable, name: string): TColumn {
  const column = table.columns.get(name);
  if (!column) {
    throw httpError(
      400,
      "42703",
      `column ${table.name}.${name} does not exist`,
      null,
      `Use one of the columns of ${table.schema}.${table.name}`,
    );
  }
  return column;
}

/** Quotes an identifier for SQL; only names that came from the schema cache reach this. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` for a table or function. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
