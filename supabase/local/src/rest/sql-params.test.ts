import { describe, expect, it } from "vitest";
import { HttpError } from "../http/http-helpers.ts";
import { SqlParams } from "./sql-params.ts";

describe("SqlParams", () => {
  it("returns numbered placeholders and keeps the values in parameter mode", () => {
    const params = new SqlParams();
    expect(params.add("a")).toBe("$1");
    expect(params.add(["b", "c"])).toBe("$2");
    expect(params.values).toEqual(["a", ["b", "c"]]);
  });

  it("doubles single quotes in inline mode", () => {
    expect(new SqlParams(true).add("it's'; drop table x; --")).toBe("'it''s''; drop table x; --'");
  });

  it("uses an escape string when the value has backslashes", () => {
    expect(new SqlParams(true).add("a\\'b")).toBe(" E'a\\\\''b'");
  });

  it("quotes every array element so commas, quotes and NULL stay text", () => {
    expect(new SqlParams(true).add(["a,b", 'c"d', "NULL"])).toBe(` E'{"a,b","c\\\\"d","NULL"}'`);
  });

  it("refuses NUL characters, which would cut a simple-protocol query short", () => {
    expect(() => new SqlParams(true).add("a\u0000b")).toThrow(HttpError);
  });
});
