import { describe, expect, it } from "vitest";
import { HttpError } from "../http/http-helpers.ts";
import { parseField } from "./parse-field.ts";
import { parseCondition, parseList, parseLogic } from "./parse-filter.ts";

const field = parseField("name", "filter");

describe("parseCondition", () => {
  it("reads operator, negation and the raw value", () => {
    expect(parseCondition(field, "not.eq.a.b,c", "x")).toMatchObject({ negate: true, operator: "eq", value: "a.b,c" });
  });

  it("reads in lists with quoted items", () => {
    expect(parseCondition(field, 'in.(1,"a,b",c)', "x")).toMatchObject({ operator: "in", value: ["1", "a,b", "c"] });
  });

  it("reads the text search config of fts", () => {
    expect(parseCondition(field, "fts(english).cat", "x")).toMatchObject({ operator: "fts", modifier: "english", value: "cat" });
  });

  it.each(["between.1", "eq", "is.maybe", "in.1,2", "eq(some).{1}", "fts(en glish).x"])("refuses %j with PGRST100", (raw) => {
    expect(() => parseCondition(field, raw, raw)).toThrow(HttpError);
  });
});

describe("parseList", () => {
  it("keeps an escaped double quote inside a quoted item", () => {
    expect(parseList('("a\\"b",c)', "x")).toEqual(['a"b', "c"]);
  });
});

describe("parseLogic", () => {
  it("reads nested and/or trees with negation", () => {
    const tree = parseLogic("or", false, "(a.eq.1,not.and(b.gt.2,c.is.null))");
    expect(tree.children).toHaveLength(2);
    expect(tree.children[1]).toMatchObject({ kind: "logic", operator: "and", negate: true });
  });

  it("unquotes quoted values inside a logic tree", () => {
    const tree = parseLogic("or", false, '(name.eq."a,b)")');
    expect(tree.children[0]).toMatchObject({ value: "a,b)" });
  });

  it("refuses unbalanced parentheses", () => {
    expect(() => parseLogic("or", false, "(a.eq.1,and(b.eq.2)")).toThrow(HttpError);
  });
});
