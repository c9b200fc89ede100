/**
 * Renders a column value, as the text Postgres' output function produced, into the JSON text
 * `to_jsonb` would give for it: numbers stay numbers, booleans become true/false, json is
 * embedded as is, timestamps get ISO 8601 form, arrays become JSON arrays, the rest strings.
 */

/** How a column's values are rendered as JSON. */
export type TJsonKind = "number" | "bool" | "json" | "timestamp" | "timestamptz" | "timetz" | "string";

/** Column value conversion: scalar, or an array whose elements have `element` kind. */
export interface TValueCodec {
  kind: TJsonKind;
  array: boolean;
}

const NUMBER_TYPES = new Set(["int2", "int4", "int8", "float4", "float8", "numeric"]);

/** Picks the JSON rendering for a base type name (pg_type.typname; arrays start with `_`). */
export function codecForType(baseTypeName: string, elementTypeName: string | null): TValueCodec {
  if (elementTypeName) return { kind: kindOf(elementTypeName), array: true };
  return { kind: kindOf(baseTypeName), array: false };
}

function kindOf(typeName: string): TJsonKind {
  if (NUMBER_TYPES.has(typeName)) return "number";
  if (typeName === "bool") return "bool";
  if (typeName === "json" || typeName === "jsonb") return "json";
  if (typeName === "timestamp") return "timestamp";
  if (typeName === "timestamptz") return "timestamptz";
  if (typeName === "timetz") return "timetz";
  return "string";
}

/** JSON text of one value (null → `null`). */
export function encodeWalValue(text: string | null, codec: TValueCodec): string {
  if (text === null) return "null";
  if (codec.array) return encodeArray(text, codec.kind);
  return encodeScalar(text, codec.kind);
}

function encodeScalar(text: string, kind: TJsonKind): string {
  switch (kind) {
    case "number":
      // NaN and ±Infinity are not JSON numbers; to_jsonb renders them as strings.
      return /^-?\d/.test(text) ? text : JSON.stringify(text);
    case "bool":
      return text === "t" ? "true" : "false";
    case "json":
      return text;
    case "timestamp":
      return JSON.stringify(isoDateTime(text));
    case "timestamptz":
      return JSON.stringify(fullOffset(isoDateTime(text)));
    case "timetz":
      return JSON.stringify(fullOffset(text));
    case "string":
      return JSON.stringify(text);
  }
}

function isoDateTime(text: string): string {
  return text.length > 10 && text[10] === " " ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
}

/** `+00` → `+00:00`, as to_jsonb writes UTC offsets. */
function fullOffset(text: string): string {
  return /[+-]\d\d$/.test(text) ? `${text}:00` : text;
}

/** Parses a Postgres array literal (`{1,2}`, `{"a b",NULL}`, `{{1,2},{3,4}}`) into JSON text. */
function encodeArray(text: string, kind: TJsonKind): string {
  let i = text.indexOf("{");
  if (i < 0) return JSON.stringify(text);
  let out = "";
  const parseLevel = (): void => {
    out += "[";
    i += 1; // skip {
    let first = true;
    while (i < text.length) {
      const ch = text[i];
      if (ch === "}") {
        i += 1;
        break;
      }
      if (ch === ",") {
        i += 1;
        continue;
      }
      if (!first) out += ",";
      first = false;
      if (ch === "{") {
        parseLevel();
        continue;
      }
      if (ch === '"') {
        let value = "";
        i += 1;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\") i += 1;
          value += text[i] ?? "";
          i += 1;
        }
        i += 1;
        out += encodeScalar(value, kind);
        continue;
      }
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "}") end += 1;
      const raw = text.slice(i, end);
      i = end;
      out += raw === "NULL" ? "null" : encodeScalar(raw, kind);
    }
    out += "]";
  };
  parseLevel();
  return out;
}
