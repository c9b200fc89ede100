import pg from "pg";
import { httpError } from "../http/http-helpers.ts";

/**
 * Collects the values of a statement. `add` returns what goes into the SQL text: a `$n`
 * placeholder, or, in inline mode, the value as a quoted literal (pg's escapeLiteral), so a
 * read can travel with `begin` and `commit` in one simple-protocol round trip. Literals and
 * untyped parameters are both of type unknown to Postgres, so the SQL means the same either way.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly inline = false) {}

  add(value: string | string[]): string {
    if (!this.inline) {
      this.values.push(value);
      return `$${this.values.length}`;
    }
    const text = Array.isArray(value) ? toArrayLiteral(value) : value;
    if (text.includes("\u0000")) {
      throw httpError(400, "22021", 'invalid byte sequence for encoding "UTF8": 0x00', null, "Remove NUL characters from the value");
    }
    return pg.escapeLiteral(text);
  }
}

/** `{"a","b\"c"}`: a Postgres array literal whose element type Postgres infers from context. */
function toArrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}
