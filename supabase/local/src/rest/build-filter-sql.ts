import type { TField } from "./parse-field.ts";
import type { TCondition, TFilterNode } from "./parse-filter.ts";
import type { TOrderTerm } from "./parse-query.ts";
import { quoteIdent, quoteQualified, requireColumn, type TTable } from "./schema-cache.ts";
import type { SqlParams } from "./sql-params.ts";

const COMPARISON: Record<string, string> = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "like",
  ilike: "ilike",
  match: "~",
  imatch: "~*",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxr: "&<",
  nxl: "&>",
  adj: "-|-",
};

const TS_QUERY: Record<string, string> = {
  fts: "to_tsquery",
  plfts: "plainto_tsquery",
  phfts: "phraseto_tsquery",
  wfts: "websearch_to_tsquery",
};

/** SQL for a column with its JSON path, checked against the cache; `type` is the column's type. */
export function fieldSql(params: SqlParams, table: TTable, alias: string, field: TField): { sql: string; type: string } {
  const computedType = table.columns.has(field.name) ? undefined : table.computed.get(field.name);
  const column = computedType === undefined ? requireColumn(table, field.name) : { name: field.name, type: computedType };
  let sql =
    computedType === undefined
      ? `${quoteIdent(alias)}.${quoteIdent(column.name)}`
      : `${quoteQualified(table.schema, field.name)}(${quoteIdent(alias)}::${quoteQualified(table.schema, table.name)})`;
  for (const step of field.jsonPath) {
    const key = /^-?\d{1,9}$/.test(step.key) ? `(${step.key})` : `${params.add(step.key)}::text`;
    sql = `${sql} ${step.arrow} ${key}`;
  }
  return { sql, type: field.jsonPath.length === 0 ? column.type : "json" };
}

/** SQL for a filter tree on `alias` (a row of `table`). */
export function filterSql(params: SqlParams, table: TTable, alias: string, node: TFilterNode): string {
  if (node.kind === "logic") {
    const joined = node.children.map((child) => filterSql(params, table, alias, child)).join(` ${node.operator} `);
    const inner = node.children.length === 0 ? "true" : `(${joined})`;
    return node.negate ? `not ${inner}` : inner;
  }
  const sql = conditionSql(params, table, alias, node);
  return node.negate ? `not (${sql})` : sql;
}

function conditionSql(params: SqlParams, table: TTable, alias: string, cond: TCondition): string {
  const field = fieldSql(params, table, alias, cond.field);
  const value = cond.value;
  switch (cond.operator) {
    case "is": {
      const word = (value as string).toLowerCase();
      return `${field.sql} is ${word === "not_null" ? "not null" : word}`;
    }
    case "isdistinct":
      return `${field.sql} is distinct from ${params.add(value)}`;
    case "in":
      return `${field.sql} = any (${params.add(value)})`;
    case "fts":
    case "plfts":
    case "phfts":
    case "wfts": {
      const config = cond.modifier === null ? "" : `${params.add(cond.modifier)}::regconfig, `;
      const document = field.type === "tsvector" ? field.sql : `to_tsvector(${config}${field.sql})`;
      return `${document} @@ ${TS_QUERY[cond.operator]}(${config}${params.add(value)})`;
    }
    default: {
      const op = COMPARISON[cond.operator] as string;
      const isPattern = cond.operator === "like" || cond.operator === "ilike";
      const text = isPattern ? (value as string).replaceAll("*", "%") : (value as string);
      if (cond.modifier === "any" || cond.modifier === "all") return `${field.sql} ${op} ${cond.modifier} (${params.add(text)})`;
      return `${field.sql} ${op} ${params.add(text)}`;
    }
  }
}

/** `order by` terms for `alias`, or "" when there are none. */
export function orderSql(params: SqlParams, table: TTable, alias: string, terms: TOrderTerm[]): string {
  if (terms.length === 0) return "";
  const parts = terms.map((term) => {
    const field = fieldSql(params, table, alias, term.field);
    const direction = term.direction ? ` ${term.direction}` : "";
    const nulls = term.nulls ? ` nulls ${term.nulls}` : "";
    return `${field.sql}${direction}${nulls}`;
  });
  return ` order by ${parts.join(", ")}`;
}
