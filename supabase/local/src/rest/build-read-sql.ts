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
  /** `from … as alias` plus the lateral joins of embedded resources. */
  from: string;
  /** `from` with only the joins that can remove rows (!inner), for counting. */
  countFrom: string;
  where: string[];
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
  const columns: string[] = [];
  const joins: string[] = [];
  const innerJoins: string[] = [];
  const where = [...extraWhere];
  for (const item of items) {
    if (item.kind === "star") {
      for (const column of table.columns.values()) columns.push(`${quoteIdent(alias)}.${quoteIdent(column.name)}`);
    } else if (item.kind === "field") {
      const field = fieldSql(b.params, table, alias, item.field);
      const name = item.alias ?? item.field.jsonPath.at(-1)?.key ?? item.field.name;
      const expr = item.cast ? `(${field.sql})::${item.cast}` : field.sql;
      columns.push(`${expr} as ${quoteIdent(name)}`);
    } else {
      const name = item.alias ?? item.relation;
      const childPath = pickPath(b, path, item.alias, item.relation);
      const rel = resolveRelationship(b.cache, table, item.relation, item.hint);
      b.aliasCount += 1;
      const childAlias = `t${b.aliasCount}`;
      const joinAlias = `e${b.aliasCount}`;
      const on = rel.pairs.map(
        ([parentCol, childCol]) => `${quoteIdent(childAlias)}.${quoteIdent(childCol)} = ${quoteIdent(alias)}.${quoteIdent(parentCol)}`,
      );
      if (rel.junction) on.push(junctionCondition(rel.junction, alias, childAlias, `j${b.aliasCount}`));
      const child = buildNode(
        b,
        rel.target,
        `${quoteQualified(rel.target.schema, rel.target.name)} as ${quoteIdent(childAlias)}`,
        childAlias,
        item.items,
        childPath,
        on,
      );
      const childSql = assembleSelect(child);
      if (item.spread) {
        if (!rel.toOne) throw notImplemented(`spreading the to-many embed ${item.relation}; spread only to-one embeds`);
        joins.push(`${item.inner ? "inner" : "left"} join lateral (${childSql}) as ${quoteIdent(joinAlias)} on true`);
        if (item.inner) innerJoins.push(joins.at(-1) as string);
        columns.push(`${quoteIdent(joinAlias)}.*`);
        continue;
      }
      const aggregate = rel.toOne ? "row_to_json(_e)" : "coalesce(json_agg(_e), '[]')";
      joins.push(`left join lateral (select ${aggregate} as body from (${childSql}) as _e) as ${quoteIdent(joinAlias)} on true`);
      columns.push(`${quoteIdent(joinAlias)}.body as ${quoteIdent(name)}`);
      if (item.inner) {
        innerJoins.push(joins.at(-1) as string);
        where.push(rel.toOne ? `${quoteIdent(joinAlias)}.body is not null` : `json_array_length(${quoteIdent(joinAlias)}.body) > 0`);
      }
    }
  }
  for (const filter of mods.filters) where.push(filterSql(b.params, table, alias, filter));
  const orderBy = orderSql(b.params, table, alias, mods.order);
  const limitOffset = `${mods.limit === null ? "" : ` limit ${mods.limit}`}${mods.offset === null ? "" : ` offset ${mods.offset}`}`;
  return { columns, from: [fromSql, ...joins].join(" "), countFrom: [fromSql, ...innerJoins].join(" "), where, orderBy, limitOffset };
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
  return `select ${node.columns.join(", ")} from ${node.from}${whereSql(node.where)}${node.orderBy}${node.limitOffset}`;
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

/** How the rows of the root node become the response body. */
export interface TBodyOptions {
  count: boolean;
  stripNulls: boolean;
  /** Set-returning scalar functions: aggregate this column instead of whole rows. */
  scalarColumn?: string;
}

/**
 * The whole read statement: one row with `total` (null without count), `page` (rows returned) and
 * `body` (JSON text), like PostgREST's single-statement plan.
 */
export function buildReadStatement(root: TNodeSql, options: TBodyOptions): string {
  const rows = assembleSelect(root);
  const total = options.count ? `(select count(*) from ${root.countFrom}${whereSql(root.where)})` : "null::int8";
  const value = options.scalarColumn ? `_r.${quoteIdent(options.scalarColumn)}` : "_r";
  const agg = `coalesce(json_agg(${value}), '[]')`;
  const body = options.stripNulls ? `json_strip_nulls(${agg})` : agg;
  return `select ${total} as total, count(*) as page, ${body}::text as body from (${rows}) as _r`;
}
