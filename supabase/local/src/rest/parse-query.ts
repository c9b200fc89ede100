import { parseError } from "./parse-error.ts";
import { parseField, type TField } from "./parse-field.ts";
import { parseCondition, parseLogic, type TFilterNode } from "./parse-filter.ts";
import { parseSelect, type TSelectItem } from "./parse-select.ts";

/** One `order=` term. */
export interface TOrderTerm {
  field: TField;
  direction: "asc" | "desc" | null;
  nulls: "first" | "last" | null;
}

/** Filters and modifiers that apply to the root table or to one embedded resource. */
export interface TNodeModifiers {
  filters: TFilterNode[];
  order: TOrderTerm[];
  limit: number | null;
  offset: number | null;
}

/** Everything the query string says, parsed and validated syntactically (not yet against the schema). */
export interface TParsedQuery {
  select: TSelectItem[];
  /** Key `""` is the root; embedded resources are keyed by their path, e.g. `books.tags`. */
  nodes: Map<string, TNodeModifiers>;
  columns: string[] | null;
  onConflict: string[] | null;
  /** Query parameters left for RPC arguments (GET /rpc/fn?arg=…), by name. */
  rpcArgs: Map<string, string>;
}

/** Modifiers of one node, created on first use. */
export function nodeModifiers(query: TParsedQuery, path: string): TNodeModifiers {
  let node = query.nodes.get(path);
  if (!node) {
    node = { filters: [], order: [], limit: null, offset: null };
    query.nodes.set(path, node);
  }
  return node;
}

/**
 * Splits a query string into select, filters (per embedded path), order, limit/offset, columns
 * and on_conflict. `argNames` are the parameters that are RPC arguments rather than filters.
 */
export function parseQuery(params: URLSearchParams, argNames: ReadonlySet<string> = new Set()): TParsedQuery {
  const query: TParsedQuery = { select: [{ kind: "star" }], nodes: new Map(), columns: null, onConflict: null, rpcArgs: new Map() };
  nodeModifiers(query, "");
  for (const [key, value] of params) {
    if (argNames.has(key)) {
      query.rpcArgs.set(key, value);
      continue;
    }
    if (key === "select") {
      query.select = value === "" ? [{ kind: "star" }] : parseSelect(value);
      continue;
    }
    if (key === "columns") {
      query.columns = parseNameList(value, "columns parameter");
      continue;
    }
    if (key === "on_conflict") {
      query.onConflict = parseNameList(value, "on_conflict parameter");
      continue;
    }
    const parts = splitKey(key);
    const last = parts.at(-1) ?? "";
    const secondLast = parts.at(-2);
    if (secondLast === "not" && (last === "or" || last === "and")) {
      const node = nodeModifiers(query, parts.slice(0, -2).join("."));
      node.filters.push(parseLogic(last, true, value));
      continue;
    }
    const node = nodeModifiers(query, parts.slice(0, -1).join("."));
    if (last === "or" || last === "and") node.filters.push(parseLogic(last, false, value));
    else if (last === "order") node.order = parseOrder(value);
    else if (last === "limit") node.limit = parseCount(value, "limit parameter");
    else if (last === "offset") node.offset = parseCount(value, "offset parameter");
    else node.filters.push(parseCondition(parseField(last, "filter"), value, `${key}=${value}`));
  }
  return query;
}

function splitKey(key: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuote = false;
  for (const ch of key) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === "." && !inQuote) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseCount(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value)) throw parseError(what, value, "expecting a non-negative integer");
  return Number(value);
}

function parseNameList(value: string, what: string): string[] {
  const names = value.split(",").map((part) => {
    const trimmed = part.trim();
    return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
  });
  if (names.some((n) => n === "")) throw parseError(what, value, "expecting a comma-separated list of column names");
  return names;
}

/** Parses `order=created_at.desc.nullsfirst,id`. */
export function parseOrder(value: string): TOrderTerm[] {
  return value.split(",").map((term) => {
    const parts = splitKey(term);
    const fieldText = parts[0] ?? "";
    if (fieldText.includes("("))
      throw parseError("order", value, "ordering by an embedded resource's column is not supported by the local gateway");
    const field = parseField(fieldText, "order");
    let direction: TOrderTerm["direction"] = null;
    let nulls: TOrderTerm["nulls"] = null;
    for (const word of parts.slice(1)) {
      if (word === "asc" || word === "desc") direction = word;
      else if (word === "nullsfirst") nulls = "first";
      else if (word === "nullslast") nulls = "last";
      else throw parseError("order", value, `unexpected "${word}"; expecting asc, desc, nullsfirst or nullslast`);
    }
    return { field, direction, nulls };
  });
}
