import { describe, expect, it } from "vitest";
import { decodePhoenixFrame } from "../../local/src/realtime/decode-phoenix-frame.ts";
import { encodeUserBroadcast } from "../../local/src/realtime/encode-phoenix-frame.ts";
import { codecForType, encodeWalValue } from "../../local/src/realtime/encode-wal-value.ts";
import type { TColumnInfo } from "../../local/src/realtime/load-relation-info.ts";
import { matchesChangeFilter, parseChangeFilter } from "../../local/src/realtime/match-change-filter.ts";

const render = (text: string | null, type: string, element: string | null = null) =>
  JSON.parse(encodeWalValue(text, codecForType(type, element)));

function column(type: string, element: string | null = null): TColumnInfo {
  return {
    name: "c",
    type: element ? `_${element}` : type,
    sqlType: type,
    codec: codecForType(type, element),
    isPk: false,
    selectable: { anon: true, authenticated: true, service_role: true },
  };
}

describe("WAL value rendering", () => {
  it("renders values the way to_jsonb does", () => {
    expect(render("42", "int8")).toBe(42);
    expect(render("-1.50", "numeric")).toBe(-1.5);
    expect(render("NaN", "float8")).toBe("NaN");
    expect(render("Infinity", "float8")).toBe("Infinity");
    expect(render("t", "bool")).toBe(true);
    expect(render("f", "bool")).toBe(false);
    expect(render('{"a": [1, 2]}', "jsonb")).toEqual({ a: [1, 2] });
    expect(render("2026-01-02 03:04:05.5+00", "timestamptz")).toBe("2026-01-02T03:04:05.5+00:00");
    expect(render("2026-01-02 03:04:05+05:30", "timestamptz")).toBe("2026-01-02T03:04:05+05:30");
    expect(render("2026-01-02 03:04:05", "timestamp")).toBe("2026-01-02T03:04:05");
    expect(render("2026-01-02", "date")).toBe("2026-01-02");
    expect(render("infinity", "timestamptz")).toBe("infinity");
    expect(render(null, "text")).toBeNull();
    expect(render('say "hi"\n', "text")).toBe('say "hi"\n');
  });

  it("parses Postgres array literals, including quoting, NULL and nesting", () => {
    expect(render('{a,"b c","d\\"e",NULL}', "_text", "text")).toEqual(["a", "b c", 'd"e', null]);
    expect(render("{{1,2},{3,4}}", "_int4", "int4")).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(render("{}", "_int4", "int4")).toEqual([]);
    expect(render("{t,f}", "_bool", "bool")).toEqual([true, false]);
  });
});

describe("postgres_changes filters", () => {
  it("parses every operator hosted accepts and rejects anything else with a usable message", () => {
    expect(parseChangeFilter("id=eq.5")).toMatchObject({ column: "id", op: "eq", value: "5" });
    expect(parseChangeFilter('name=in.(a,"b,c",d)').values).toEqual(["a", "b,c", "d"]);
    expect(parseChangeFilter("status=in.(open,closed)").values).toEqual(["open", "closed"]);
    expect(() => parseChangeFilter("id=like.5")).toThrow(/eq, neq, lt, lte, gt, gte, in/);
    expect(() => parseChangeFilter("nonsense")).toThrow(/Error parsing `filter` params/);
  });

  it("compares with the column's type: numbers numerically, uuids case-insensitively, nulls never match", () => {
    const f = (s: string) => parseChangeFilter(s);
    expect(matchesChangeFilter(f("n=gt.9"), "10", column("int4"))).toBe(true);
    expect(matchesChangeFilter(f("n=lt.9"), "10", column("int4"))).toBe(false);
    expect(matchesChangeFilter(f("n=lte.10"), "10.0", column("numeric"))).toBe(true);
    expect(matchesChangeFilter(f("n=neq.10"), "11", column("int4"))).toBe(true);
    expect(matchesChangeFilter(f("t=gte.b"), "a", column("text"))).toBe(false);
    expect(
      matchesChangeFilter(f("u=eq.ABCDEF00-0000-0000-0000-000000000000"), "abcdef00-0000-0000-0000-000000000000", column("uuid")),
    ).toBe(true);
    expect(matchesChangeFilter(f("b=eq.true"), "t", column("bool"))).toBe(true);
    expect(matchesChangeFilter(f("at=gt.2026-01-01T00:00:00Z"), "2026-01-02 00:00:00+00", column("timestamptz"))).toBe(true);
    expect(matchesChangeFilter(f("n=in.(1,3)"), "3", column("int4"))).toBe(true);
    expect(matchesChangeFilter(f("n=in.(1,3)"), "2", column("int4"))).toBe(false);
    expect(matchesChangeFilter(f("n=neq.1"), null, column("int4"))).toBe(false);
  });
});

describe("binary broadcast frames", () => {
  it("decodes a realtime-js user broadcast push and encodes the user broadcast the client decodes", () => {
    const parts = ["12", "13", "realtime:room", "cursor", '{"persist":true}'].map((p) => Buffer.from(p));
    const body = Buffer.from(JSON.stringify({ x: 1 }));
    const header = Buffer.from([3, ...parts.map((p) => p.length), 1]);
    const msg = decodePhoenixFrame("2.0.0", Buffer.concat([header, ...parts, body]), true);
    expect(msg).toEqual({
      joinRef: "12",
      ref: "13",
      topic: "realtime:room",
      event: "broadcast",
      payload: { persist: true, type: "broadcast", event: "cursor", payload: { x: 1 } },
    });

    const out = encodeUserBroadcast("2.0.0", "realtime:room", "cursor", { x: 1 }) as Buffer;
    expect([...out.subarray(0, 5)]).toEqual([4, 13, 6, 0, 1]);
    expect(out.subarray(5 + 13 + 6).toString()).toBe('{"x":1}');
    expect(JSON.parse(encodeUserBroadcast("1.0.0", "realtime:room", "cursor", { x: 1 }) as string)).toMatchObject({
      event: "broadcast",
      payload: { type: "broadcast", event: "cursor", payload: { x: 1 } },
    });
    expect(encodeUserBroadcast("1.0.0", "realtime:room", "bin", Buffer.from([1, 2]))).toBeNull();
  });
});
