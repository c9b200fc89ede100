import { describe, expect, it } from "vitest";
import { HttpError } from "../http/http-helpers.ts";
import { parseSelect } from "./parse-select.ts";

describe("parseSelect", () => {
  it("reads columns, aliases, casts and json paths", () => {
    expect(parseSelect("id,key:name,rating::text,city:meta->>city")).toEqual([
      { kind: "field", alias: null, field: { name: "id", jsonPath: [] }, cast: null },
      { kind: "field", alias: "key", field: { name: "name", jsonPath: [] }, cast: null },
      { kind: "field", alias: null, field: { name: "rating", jsonPath: [] }, cast: "text" },
      { kind: "field", alias: "city", field: { name: "meta", jsonPath: [{ arrow: "->>", key: "city" }] }, cast: null },
    ]);
  });

  it("reads embeds with alias, hint, !inner and nested embeds", () => {
    expect(parseSelect("owner:profiles!owner_id!inner(name,tags(*))")).toEqual([
      {
        kind: "embed",
        alias: "owner",
        relation: "profiles",
        hint: "owner_id",
        inner: true,
        spread: false,
        items: [
          { kind: "field", alias: null, field: { name: "name", jsonPath: [] }, cast: null },
          { kind: "embed", alias: null, relation: "tags", hint: null, inner: false, spread: false, items: [{ kind: "star" }] },
        ],
      },
    ]);
  });

  it("reads double-quoted names with reserved characters", () => {
    expect(parseSelect('"my, col"')).toEqual([{ kind: "field", alias: null, field: { name: "my, col", jsonPath: [] }, cast: null }]);
  });

  it("reads aggregates: count(), col.sum() with casts and aliases", () => {
    expect(parseSelect("count(),total:pages::int8.sum()::text")).toEqual([
      { kind: "aggregate", alias: null, fn: "count", field: null, inputCast: null, cast: null },
      { kind: "aggregate", alias: "total", fn: "sum", field: { name: "pages", jsonPath: [] }, inputCast: "int8", cast: "text" },
    ]);
  });

  it.each(["id,", "tags(", "a::text;drop", "id::text from x", "...spread", "id.median()", "id.sum", ""])(
    "refuses %j with PGRST100",
    (raw) => {
      let caught: unknown;
      try {
        parseSelect(raw);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(HttpError);
      expect((caught as HttpError).body.code).toBe("PGRST100");
    },
  );
});
