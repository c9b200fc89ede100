import { parseError } from "./parse-error.ts";

/** A column, optionally followed by a JSON path (`data->a->>b`). */
export interface TField {
  name: string;
  jsonPath: Array<{ arrow: "->" | "->>"; key: string }>;
}

const JSON_ARROW = /^(->>|->)/;

/** Parses `col`, `"quoted col"` or `col->a->>b` (as used in filters and order). */
export function parseField(raw: string, what: string): TField {
  const cursor = { pos: 0 };
  const field = readField(raw, cursor, what);
  if (cursor.pos !== raw.length) {
    throw parseError(
      what,
      raw,
      `unexpected "${raw.slice(cursor.pos, cursor.pos + 1)}" at position ${cursor.pos + 1} expecting end of field`,
    );
  }
  return field;
}

/** Reads a field starting at `cursor.pos` and advances the cursor past it. */
export function readField(raw: string, cursor: { pos: number }, what: string): TField {
  const name = readName(raw, cursor, what);
  const jsonPath: TField["jsonPath"] = [];
  for (;;) {
    const arrow = JSON_ARROW.exec(raw.slice(cursor.pos))?.[1] as "->" | "->>" | undefined;
    if (!arrow) break;
    cursor.pos += arrow.length;
    jsonPath.push({ arrow, key: readName(raw, cursor, what) });
  }
  return { name, jsonPath };
}

/** Reads a bare or double-quoted identifier. */
export function readName(raw: string, cursor: { pos: number }, what: string): string {
  if (raw[cursor.pos] === '"') {
    let out = "";
    let i = cursor.pos + 1;
    while (i < raw.length) {
      const ch = raw[i];
      if (ch === "\\" && i + 1 < raw.length) {
        out += raw[i + 1];
        i += 2;
      } else if (ch === '"') {
        cursor.pos = i + 1;
        return out;
      } else {
        out += ch;
        i += 1;
      }
    }
    throw parseError(what, raw, "unterminated double quote");
  }
  const start = cursor.pos;
  while (cursor.pos < raw.length) {
    const ch = raw[cursor.pos] as string;
    if (",():!.*\"'".includes(ch)) break;
    if (ch === "-" && raw[cursor.pos + 1] === ">") break;
    cursor.pos += 1;
  }
  if (cursor.pos === start) {
    const found = raw[start] === undefined ? "end of input" : `"${raw[start]}"`;
    throw parseError(what, raw, `unexpected ${found} at position ${start + 1} expecting a column or relation name`);
  }
  return raw.slice(start, cursor.pos);
}
