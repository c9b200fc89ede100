import { parseError } from "./parse-error.ts";
import { readField, readName, type TField } from "./parse-field.ts";

/** One entry of `select=`: `*`, a column, or an embedded resource. */
export type TSelectItem =
  | { kind: "star" }
  | { kind: "field"; alias: string | null; field: TField; cast: string | null }
  | { kind: "embed"; alias: string | null; relation: string; hint: string | null; inner: boolean; spread: boolean; items: TSelectItem[] }
  | { kind: "aggregate"; alias: string | null; fn: TAggregate; field: TField | null; inputCast: string | null; cast: string | null };

/** PostgREST's aggregate functions: `count()`, `col.count()`, `col.sum()`, `col.avg()`, `col.max()`, `col.min()`. */
export type TAggregate = "count" | "sum" | "avg" | "max" | "min";
const AGGREGATES: ReadonlySet<string> = new Set(["count", "sum", "avg", "max", "min"]);

const CAST = /^[A-Za-z_][A-Za-z0-9_]*(\[\])?$/;

/** Parses PostgREST's `select` parameter, e.g. `id,title,owner:authors!owner_id(name),tags!inner(*)`. */
export function parseSelect(raw: string): TSelectItem[] {
  const cursor = { pos: 0 };
  const items = readItems(raw, cursor);
  if (cursor.pos !== raw.length) {
    throw parseError(
      "select parameter",
      raw,
      `unexpected "${raw[cursor.pos]}" at position ${cursor.pos + 1} expecting "," or end of input`,
    );
  }
  return items;
}

/** Deeper embeds are refused rather than risking Postgres' stack depth limit (a 500). */
const MAX_EMBED_DEPTH = 8;

function readItems(raw: string, cursor: { pos: number }, depth = 0): TSelectItem[] {
  if (depth > MAX_EMBED_DEPTH)
    throw parseError("select parameter", raw.slice(0, 80), `embedded resources nest deeper than ${MAX_EMBED_DEPTH} levels`);
  const items: TSelectItem[] = [];
  for (;;) {
    items.push(readItem(raw, cursor, depth));
    if (raw[cursor.pos] !== ",") return items;
    cursor.pos += 1;
  }
}

function readItem(raw: string, cursor: { pos: number }, depth: number): TSelectItem {
  const what = "select parameter";
  const spread = raw.startsWith("...", cursor.pos);
  if (spread) cursor.pos += 3;
  if (raw[cursor.pos] === "*") {
    cursor.pos += 1;
    return { kind: "star" };
  }
  let alias: string | null = null;
  let nameStart = cursor.pos;
  let name = readName(raw, cursor, what);
  if (raw[cursor.pos] === ":" && raw[cursor.pos + 1] !== ":") {
    cursor.pos += 1;
    alias = name;
    nameStart = cursor.pos;
    name = readName(raw, cursor, what);
  }
  if (!spread && name === "count" && raw.startsWith("()", cursor.pos)) {
    cursor.pos += 2;
    return { kind: "aggregate", alias, fn: "count", field: null, inputCast: null, cast: readCast(raw, cursor) };
  }
  if (raw[cursor.pos] === "!" || raw[cursor.pos] === "(") {
    let hint: string | null = null;
    let inner = false;
    while (raw[cursor.pos] === "!") {
      cursor.pos += 1;
      const word = readName(raw, cursor, what);
      if (word === "inner") inner = true;
      else if (word !== "left") hint = word;
    }
    if (raw[cursor.pos] !== "(")
      throw parseError(what, raw, `expecting "(" after the embedded resource ${name} at position ${cursor.pos + 1}`);
    cursor.pos += 1;
    const items = raw[cursor.pos] === ")" ? [] : readItems(raw, cursor, depth + 1);
    if (raw[cursor.pos] !== ")") throw parseError(what, raw, `expecting ")" to close the embedded resource ${name}`);
    cursor.pos += 1;
    return { kind: "embed", alias, relation: name, hint, inner, spread, items };
  }
  if (spread) throw parseError(what, raw, `"..." must be followed by an embedded resource like ...${name}(col)`);
  cursor.pos = nameStart;
  const field = readField(raw, cursor, what);
  const cast = readCast(raw, cursor);
  if (raw[cursor.pos] === ".") {
    cursor.pos += 1;
    const fn = readName(raw, cursor, what);
    if (!AGGREGATES.has(fn) || !raw.startsWith("()", cursor.pos)) {
      throw parseError(what, raw, `"${fn}" is not an aggregate; use count(), sum(), avg(), max() or min() after a column`);
    }
    cursor.pos += 2;
    return { kind: "aggregate", alias, fn: fn as TAggregate, field, inputCast: cast, cast: readCast(raw, cursor) };
  }
  return { kind: "field", alias, field, cast };
}

/** Reads an optional `::type` cast. */
function readCast(raw: string, cursor: { pos: number }): string | null {
  if (!raw.startsWith("::", cursor.pos)) return null;
  cursor.pos += 2;
  const castStart = cursor.pos;
  while (cursor.pos < raw.length && /[A-Za-z0-9_[\]]/.test(raw[cursor.pos] as string)) cursor.pos += 1;
  const cast = raw.slice(castStart, cursor.pos);
  if (!CAST.test(cast)) throw parseError("select parameter", raw, `"${cast}" is not a type name a column can be cast to`);
  return cast;
}
