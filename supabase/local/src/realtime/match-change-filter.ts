import type { TColumnInfo } from "./load-relation-info.ts";

/** Operators hosted Realtime accepts in a postgres_changes `filter`. */
export type TFilterOp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "in";

/** A parsed `column=op.value` filter. */
export interface TChangeFilter {
  column: string;
  op: TFilterOp;
  /** The value as written (for `in`, the list without parentheses). */
  value: string;
  /** For `in`: the listed values. */
  values: string[];
}

const FILTER_RE = /^([^=]+)=(eq|neq|lt|lte|gt|gte|in)\.(.*)$/s;

/**
 * Parses `col=eq.value` (also neq, lt, lte, gt, gte, `in.(a,b)`); throws an error saying what is
 * accepted when the string does not fit.
 */
export function parseChangeFilter(filter: string): TChangeFilter {
  const match = FILTER_RE.exec(filter);
  if (!match) {
    throw new Error(
      `Error parsing \`filter\` params: ${filter}. Use column=operator.value with operator one of eq, neq, lt, lte, gt, gte, in (e.g. id=eq.1 or id=in.(1,2))`,
    );
  }
  const [, column = "", op = "eq", value = ""] = match;
  let values: string[] = [];
  if (op === "in") {
    values = splitList(value.replace(/^\(/, "").replace(/\)$/, ""));
  }
  return { column, op: op as TFilterOp, value, values };
}

/** Whether a row value (Postgres text; null = SQL null; undefined = not available) passes the filter. */
export function matchesChangeFilter(filter: TChangeFilter, text: string | null | undefined, column: TColumnInfo): boolean {
  if (text === null || text === undefined) return false;
  if (filter.op === "in") return filter.values.some((v) => compare(text, v, column) === 0);
  const order = compare(text, filter.value, column);
  if (Number.isNaN(order)) return false;
  switch (filter.op) {
    case "eq":
      return order === 0;
    case "neq":
      return order !== 0;
    case "lt":
      return order < 0;
    case "lte":
      return order <= 0;
    case "gt":
      return order > 0;
    case "gte":
      return order >= 0;
  }
}

/** Compares a row value with a filter literal the way Postgres would for the column's type. */
function compare(text: string, literal: string, column: TColumnInfo): number {
  const kind = column.codec.array ? "string" : column.codec.kind;
  switch (kind) {
    case "number":
      return sign(Number(text) - Number(literal));
    case "bool":
      return sign(Number(text === "t") - Number(["t", "true", "y", "yes", "on", "1"].includes(literal.toLowerCase())));
    case "timestamp":
    case "timestamptz":
      return sign(Date.parse(normaliseTime(text)) - Date.parse(normaliseTime(literal)));
    default: {
      const a = column.type === "uuid" ? text.toLowerCase() : text;
      const b = column.type === "uuid" ? literal.toLowerCase() : literal;
      return a === b ? 0 : a < b ? -1 : 1;
    }
  }
}

function sign(n: number): number {
  return Number.isNaN(n) ? Number.NaN : n === 0 ? 0 : n < 0 ? -1 : 1;
}

function normaliseTime(text: string): string {
  const iso = text.length > 10 && text[10] === " " ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
  return /[+-]\d\d$/.test(iso) ? `${iso}:00` : iso;
}

/** Splits `a,"b,c",d` like a Postgres array literal: commas inside double quotes do not split. */
function splitList(inner: string): string[] {
  const values: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '"') quoted = !quoted;
    else if (ch === "\\" && quoted) current += inner[++i] ?? "";
    else if (ch === "," && !quoted) {
      values.push(current.trim());
      current = "";
    } else current += ch;
  }
  values.push(current.trim());
  return values;
}
