import pg from "pg";
import { httpError } from "../http/http-helpers.ts";
import { fieldSql, filterSql, orderSql } from "./build-filter-sql.ts";
import { notImplemented } from "./parse-error.ts";
import type { TNodeModifiers, TParsedQuery } from "./parse-query.ts";
import type { TSelectItem } from "./parse-select.ts";
import { resolveRelationship, type TRelationship } from "./resolve-relationship.ts";
import { quoteIdent, quoteQualified, type TSchemaCache, type TTable } from "./schema-cache.ts";
import type { SqlParams } from "./sql-params.ts";

/** State shared while one request's SQL is built. */
export interface TSqlBuilder {
  cache: TSchemaCache;
  params: SqlParams;
  query: TParsedQuery;
  usedPaths: Set<string>;
  aliasCount: number;
}

/** The pieces of one `select` (root or embedded), assembled by the caller. */
export interface TNodeSql {
  columns: string[];
  /** The keys each row's JSON has, in order (what a spread to-many turns into arrays). */
  names: string[];
  /** `from … as alias` plus the lateral joins of embedded resources. */
  from: string;
  /** `from` with only the joins that can remove rows (!inner), for counting. */
  countFrom: string;
  where: string[];
  /** ` group by …` when the select has aggregates, else "". */
  groupBy: string;
  orderBy: string;
  limitOffset: string;
}

/** A builder for one request. */
export function createSqlBuilder(cache: TSchemaCache, params: SqlParams, query: TParsedQuery): TSqlBuilder {
  return { cache, params, query, usedPaths: new Set([""]), aliasCount: 0 };
}

/**
 * Builds the select list, joins, filters, order and range of one node. `fromSql` already holds
 * ` as "alias"`; `extraWhere` is the join condition to the parent for embedded nodes.
 */
export function buildNode(
  b: TSqlBuilder,
  table: TTable,
  fromSql: string,
  alias: string,
  items: TSelectItem[],
  path: string,
  extraWhere: string[],
): TNodeSql {
  const mods: TNodeModifiers = b.query.nodes.get(path) ?? { filters: [], order: [], limit: null, offset: null };
  const aggregated = items.some((item) => item.kind === "aggregate");
  if (aggregated && !b.cache.settings.aggregatesEnabled) {
    throw httpError(
      400,
      "PGRST123",
      "Use of aggregate functions is not allowed",
      null,
      "Turn them on as on hosted Supabase: alter role authenticator set pgrst.db_aggregates_enabled = 'true'; notify pgrst, 'reload config';",
    );
  }
  const columns: string[] = [];
  const names: string[] = [];
  /** Non-aggregate expressions, grouped by when the node has aggregates. */
  const groupKeys: string[] = [];
  const joins: string[] = [];
  const innerJoins: string[] = [];
  const where = [...extraWhere];
  const embedNames = new Set<string>();
  const depth = path === "" ? 1 : path.split(".").length + 1;
  for (const item of items) {
    if (item.kind === "star") {
      for (const column of table.columns.values()) {
        const expr = `${quoteIdent(alias)}.${quoteIdent(column.name)}`;
        columns.push(expr);
        names.push(column.name);
        groupKeys.push(expr);
      }
    } else if (item.kind === "field") {
      const field = fieldSql(b.params, table, alias, item.field);
      const name = item.alias ?? item.field.jsonPath.at(-1)?.key ?? item.field.name;
      const expr = item.cast ? `(${field.sql})::${item.cast}` : field.sql;
      columns.push(`${expr} as ${quoteIdent(name)}`);
      names.push(name);
      groupKeys.push(expr);
    } else if (item.kind === "aggregate") {
      const input = item.field === null ? "*" : fieldSql(b.params, table, alias, item.field).sql;
      const cast = item.inputCast ? `(${input})::${item.inputCast}` : input;
      const call = `${item.fn}(${cast})`;
      const name = item.alias ?? item.fn;
      columns.push(`${item.cast ? `(${call})::${item.cast}` : call} as ${quoteIdent(name)}`);
      names.push(name);
    } else {
      const name = item.alias ?? item.relation;
      // PostgREST names each embed's subquery <table>_<name>_<depth>, so two embeds under one name
      // collide in Postgres (42712); refuse it the same way instead of sending duplicate JSON keys.
      if (embedNames.has(name)) {
        throw httpError(
          400,
          "42712",
          `table name "${table.name}_${name}_${depth}" specified more than once`,
          null,
          `Give each embedded resource its own alias, e.g. ${name}_2:${item.relation}(…)`,
        );
      }
      embedNames.add(name);
      const childPath = pickPath(b, path, item.alias, item.relation);
      const rel = resolveRelationship(b.cache, table, item.relation, item.hint);
      b.aliasCount += 1;
      const childAlias = `t${b.aliasCount}`;
      const joinAlias = `e${b.aliasCount}`;
      const on = rel.pairs.map(
        ([parentCol, childCol]) => `${quoteIdent(childAlias)}.${quoteIdent(childCol)} = ${quoteIdent(alias)}.${quoteIdent(parentCol)}`,
      );
      if (rel.junction) on.push(junctionCondition(rel.junction, alias, childAlias, `j${b.aliasCount}`));
      // A function `returns T` that finds nothing yields one all-null row; that is "no row", not an object of nulls.
      if (rel.fn) on.push(`not (${quoteIdent(childAlias)} is null)`);
      const childFrom = rel.fn
        ? `${quoteQualified(rel.fn.schema, rel.fn.name)}(${quoteIdent(alias)}) as ${quoteIdent(childAlias)}`
        : `${quoteQualified(rel.target.schema, rel.target.name)} as ${quoteIdent(childAlias)}`;
      if (item.spread && item.items.some((i) => i.kind === "aggregate")) {
        // PostgREST hoists a to-one spread's aggregates into the parent's grouping (and refuses them in to-many
        // spreads); computing them per parent row here would answer differently, so refuse instead.
        throw notImplemented(`aggregates inside the spread embed ...${item.relation}(…); aggregate in the parent or in a plain embed`);
      }
      const child = buildNode(b, rel.target, childFrom, childAlias, item.items, childPath, on);
      const childSql = assembleSelect(child);
      const e = quoteIdent(joinAlias);
      if (item.spread) {
        if (rel.toOne) {
          joins.push(`${item.inner ? "inner" : "left"} join lateral (${childSql}) as ${e} on true`);
          if (item.inner) innerJoins.push(joins.at(-1) as string);
          columns.push(`${e}.*`);
        } else {
          // PostgREST 13: a spread to-many embed turns each of its columns into an array, all in the child's order.
          const arrays = child.names.map((n) => `coalesce(json_agg(_e.${quoteIdent(n)}), '[]') as ${quoteIdent(n)}`);
          joins.push(
            `left join lateral (select ${arrays.join(", ") || "1 as pgrst_none"}, count(*) as pgrst_n from (${childSql}) as _e) as ${e} on true`,
          );
          columns.push(...child.names.map((n) => `${e}.${quoteIdent(n)}`));
          if (item.inner) {
            innerJoins.push(joins.at(-1) as string);
            where.push(`${e}.pgrst_n > 0`);
          }
        }
        names.push(...child.names);
        groupKeys.push(...child.names.map((n) => `${e}.${quoteIdent(n)}${rel.toOne ? "" : "::jsonb"}`));
        continue;
      }
      const aggregate = rel.toOne ? "row_to_json(_e)" : "coalesce(json_agg(_e), '[]')";
      joins.push(`left join lateral (select ${aggregate} as body from (${childSql}) as _e) as ${e} on true`);
      if (item.inner) {
        innerJoins.push(joins.at(-1) as string);
        where.push(rel.toOne ? `${e}.body is not null` : `json_array_length(${e}.body) > 0`);
      }
      // An empty embed (`rel()`) only filters (with !inner); like PostgREST it adds no key.
      if (item.items.length === 0) continue;
      columns.push(aggregated ? `${e}.body::jsonb as ${quoteIdent(name)}` : `${e}.body as ${quoteIdent(name)}`);
      names.push(name);
      groupKeys.push(`${e}.body::jsonb`);
    }
  }
  for (const filter of mods.filters) where.push(filterSql(b.params, table, alias, filter));
  const orderBy = orderSql(b.params, table, alias, mods.order);
  const limitOffset = `${mods.limit === null ? "" : ` limit ${mods.limit}`}${mods.offset === null ? "" : ` offset ${mods.offset}`}`;
  const groupBy = aggregated && groupKeys.length > 0 ? ` group by ${groupKeys.join(", ")}` : "";
  return {
    columns,
    names,
    from: [fromSql, ...joins].join(" "),
    countFrom: [fromSql, ...innerJoins].join(" "),
    where,
    groupBy,
    orderBy,
    limitOffset,
  };
}

/** `exists (…)` linking parent and child rows through a many-to-many junction table. */
function junctionCondition(
  junction: NonNullable<TRelationship["junction"]>,
  parentAlias: string,
  childAlias: string,
  junctionAlias: string,
): string {
  const j = quoteIdent(junctionAlias);
  const links = [
    ...junction.parentPairs.map(([col, jcol]) => `${j}.${quoteIdent(jcol)} = ${quoteIdent(parentAlias)}.${quoteIdent(col)}`),
    ...junction.childPairs.map(([col, jcol]) => `${j}.${quoteIdent(jcol)} = ${quoteIdent(childAlias)}.${quoteIdent(col)}`),
  ];
  return `exists (select 1 from ${quoteQualified(junction.table.schema, junction.table.name)} as ${j} where ${links.join(" and ")})`;
}

/** `select … from … where … order by … limit … offset …` of a node. */
export function assembleSelect(node: TNodeSql): string {
  return `select ${node.columns.join(", ")} from ${node.from}${whereSql(node.where)}${node.groupBy}${node.orderBy}${node.limitOffset}`;
}

/** ` where a and b`, or "" without conditions. */
export function whereSql(conditions: string[]): string {
  return conditions.length === 0 ? "" : ` where ${conditions.map((c) => `(${c})`).join(" and ")}`;
}

/** Fails with PGRST108 when a filter or modifier names an embedded resource the select does not have. */
export function assertPathsUsed(b: TSqlBuilder): void {
  for (const [path, mods] of b.query.nodes) {
    const empty = mods.filters.length === 0 && mods.order.length === 0 && mods.limit === null && mods.offset === null;
    if (!b.usedPaths.has(path) && !empty) {
      throw httpError(
        400,
        "PGRST108",
        `'${path}' is not an embedded resource in this request`,
        null,
        `Verify that '${path}' is included in the 'select' query parameter.`,
      );
    }
  }
}

function pickPath(b: TSqlBuilder, parent: string, alias: string | null, relation: string): string {
  const prefix = parent === "" ? "" : `${parent}.`;
  const byAlias = alias === null ? null : `${prefix}${alias}`;
  const path = byAlias !== null && b.query.nodes.has(byAlias) ? byAlias : `${prefix}${relation}`;
  b.usedPaths.add(path);
  if (byAlias !== null) b.usedPaths.add(byAlias);
  return path;
}

/** The rows a count counts: the root's from, !inner joins and filters, without range or columns. */
export function countQuery(root: TNodeSql): string {
  return `select 1 from ${root.countFrom}${whereSql(root.where)}`;
}

/** How the rows of the root node become the response body. */
export interface TBodyOptions {
  count: boolean;
  stripNulls: boolean;
  /** Set-returning scalar functions: aggregate this column instead of whole rows. */
  scalarColumn?: string;
  /** `Accept: text/csv`: the body is CSV, built in SQL as PostgREST does. */
  csv?: boolean;
}

/**
 * The whole read statement: one row with `total` (null without count), `page` (rows returned) and
 * `body` (JSON text), like PostgREST's single-statement plan.
 */
export function buildReadStatement(root: TNodeSql, options: TBodyOptions): string {
  const rows = assembleSelect(root);
  const total = options.count ? `(select count(*) from (${countQuery(root)}) as _c)` : "null::int8";
  const value = options.scalarColumn ? `_r.${quoteIdent(options.scalarColumn)}` : "_r";
  const agg = `coalesce(json_agg(${value}), '[]')`;
  const body = options.csv ? csvBody(root.names) : options.stripNulls ? `json_strip_nulls(${agg})` : agg;
  return `select ${total} as total, count(*) as page, ${body}::text as body from (${rows}) as _r`;
}

/**
 * PostgREST's CSV: a header of the keys (none when there are no rows), a newline, then each row
 * in Postgres' record text format without its parentheses (NULL empty, values quoted as needed).
 */
function csvBody(names: string[]): string {
  const header = pg.escapeLiteral(names.join(","));
  return `case when count(*) = 0 then '' else ${header} end || E'\\n' || coalesce(string_agg(substring(_r::text, 2, length(_r::text) - 2), E'\\n'), '')`;
}
