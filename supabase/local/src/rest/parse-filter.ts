import { parseError } from "./parse-error.ts";
import { parseField, type TField } from "./parse-field.ts";

/** Operators PostgREST accepts in filters. */
export const FILTER_OPERATORS = new Set([
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "like",
  "ilike",
  "match",
  "imatch",
  "is",
  "isdistinct",
  "in",
  "cs",
  "cd",
  "ov",
  "sl",
  "sr",
  "nxr",
  "nxl",
  "adj",
  "fts",
  "plfts",
  "phfts",
  "wfts",
]);

/** A single condition: `field [not] op value`. */
export interface TCondition {
  kind: "condition";
  field: TField;
  negate: boolean;
  operator: string;
  /** `any` / `all` for `eq(any).{a,b}`; the text search config for `fts(english)`. */
  modifier: string | null;
  /** Raw value; for `in` the parsed list. */
  value: string | string[];
}

/** `and(...)` / `or(...)`, possibly negated. */
export interface TLogic {
  kind: "logic";
  operator: "and" | "or";
  negate: boolean;
  children: TFilterNode[];
}

/** A node of a filter tree: a condition or an and/or group. */
export type TFilterNode = TCondition | TLogic;

/** Deeper and/or trees are refused rather than risking Postgres' stack depth limit (a 500). */
const MAX_LOGIC_DEPTH = 16;

const OPERATION = /^(not\.)?([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/;

/** Parses the right-hand side of a filter parameter (`not.eq.5`, `in.(1,2)`, `fts(english).cat`). */
export function parseCondition(field: TField, rawValue: string, rawForErrors: string): TCondition {
  const match = OPERATION.exec(rawValue);
  if (!match) throw parseError("filter", rawForErrors, "expecting an operator such as eq., in. or not.eq. followed by a value");
  const [, not, operator = "", modifier, value = ""] = match;
  if (!FILTER_OPERATORS.has(operator)) {
    throw parseError("filter", rawForErrors, `unknown operator "${operator}"; use one of ${[...FILTER_OPERATORS].join(", ")}`);
  }
  const isFts = operator.endsWith("fts");
  if (modifier !== undefined && !isFts && modifier !== "any" && modifier !== "all") {
    throw parseError("filter", rawForErrors, `"${modifier}" is not a modifier; use (any) or (all)`);
  }
  if (modifier !== undefined && !isFts && !["eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"].includes(operator)) {
    throw parseError("filter", rawForErrors, `the operator ${operator} takes no (any)/(all) modifier`);
  }
  if (isFts && modifier !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(modifier)) {
    throw parseError("filter", rawForErrors, `"${modifier}" is not a text search configuration name`);
  }
  if (operator === "is" && !["null", "not_null", "true", "false", "unknown"].includes(value.toLowerCase())) {
    throw parseError("filter", rawForErrors, "is. takes null, not_null, true, false or unknown");
  }
  if (operator === "in")
    return { kind: "condition", field, negate: not !== undefined, operator, modifier: null, value: parseList(value, rawForErrors) };
  if (modifier === "any" || modifier === "all") {
    if (!value.startsWith("{") || !value.endsWith("}"))
      throw parseError("filter", rawForErrors, `${operator}(${modifier}) takes a list like {a,b}`);
  }
  return { kind: "condition", field, negate: not !== undefined, operator, modifier: modifier ?? null, value };
}

/** Parses `(a,"b,c",d)` into its items; double quotes protect reserved characters, `\` escapes. */
export function parseList(raw: string, rawForErrors: string): string[] {
  if (!raw.startsWith("(") || !raw.endsWith(")")) throw parseError("filter", rawForErrors, "in. takes a list in parentheses like (1,2,3)");
  const inner = raw.slice(1, -1);
  if (inner === "") return [];
  const items: string[] = [];
  let i = 0;
  while (i <= inner.length) {
    if (inner[i] === '"') {
      const { text, end } = readQuoted(inner, i, rawForErrors);
      items.push(text);
      i = end;
      if (i < inner.length && inner[i] !== ",") throw parseError("filter", rawForErrors, `unexpected "${inner[i]}" after a quoted value`);
      i += 1;
    } else {
      const comma = inner.indexOf(",", i);
      const end = comma === -1 ? inner.length : comma;
      items.push(inner.slice(i, end));
      i = end + 1;
    }
  }
  return items;
}

function readQuoted(text: string, start: number, rawForErrors: string): { text: string; end: number } {
  let out = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
    } else if (ch === '"') {
      return { text: out, end: i + 1 };
    } else {
      out += ch;
      i += 1;
    }
  }
  throw parseError("logic tree", rawForErrors, "unterminated double quote");
}

/** Parses the value of `or=` / `and=` (`(a.eq.1,and(b.gt.2,c.is.null))`). */
export function parseLogic(operator: "and" | "or", negate: boolean, raw: string, depth = 0): TLogic {
  if (depth > MAX_LOGIC_DEPTH) throw parseError("logic tree", raw.slice(0, 80), `and/or nest deeper than ${MAX_LOGIC_DEPTH} levels`);
  if (!raw.startsWith("(") || !raw.endsWith(")")) {
    throw parseError("logic tree", raw, `${operator}= takes conditions in parentheses like (a.eq.1,b.gt.2)`);
  }
  return {
    kind: "logic",
    operator,
    negate,
    children: splitTopLevel(raw.slice(1, -1), raw).map((part) => parseLogicItem(part, raw, depth)),
  };
}

function parseLogicItem(part: string, raw: string, depth: number): TFilterNode {
  const nested = /^(not\.)?(and|or)(\([\s\S]*\))$/.exec(part);
  if (nested) return parseLogic(nested[2] as "and" | "or", nested[1] !== undefined, nested[3] as string, depth + 1);
  const dot = findFieldEnd(part);
  if (dot === -1) throw parseError("logic tree", raw, `"${part}" is not a condition like column.eq.value`);
  const field = parseField(part.slice(0, dot), "logic tree");
  let value = part.slice(dot + 1);
  const quoted = /^((?:not\.)?[a-z]+(?:\([^)]*\))?\.)"([\s\S]*)"$/.exec(value);
  if (quoted && !value.includes(".in.")) value = `${quoted[1]}${unquote(quoted[2] as string)}`;
  return parseCondition(field, value, raw);
}

function unquote(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

function findFieldEnd(part: string): number {
  let inQuote = false;
  for (let i = 0; i < part.length; i += 1) {
    const ch = part[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === "." && !inQuote) return i;
  }
  return -1;
}

/** Splits on commas that are outside parentheses and double quotes. */
function splitTopLevel(text: string, raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === "\\" && inQuote) {
      i += 1;
    } else if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === "(") depth += 1;
    else if (!inQuote && ch === ")") depth -= 1;
    else if (!inQuote && depth === 0 && ch === ",") {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw parseError("logic tree", raw, "unbalanced parentheses");
  }
  if (depth !== 0 || inQuote) throw parseError("logic tree", raw, "unbalanced parentheses or quotes");
  parts.push(text.slice(start));
  return parts;
}
