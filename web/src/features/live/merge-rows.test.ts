import { describe, expect, it } from "vitest";
import { mergeRows, reconcileRows, removeRows } from "./merge-rows.ts";

interface TRow {
  id: string;
  seq: number;
  text: string;
  scope?: string;
}
const byId = (row: TRow) => row.id;

describe("mergeRows", () => {
  it("adds new rows and replaces a row with a higher seq", () => {
    const current = { a: { id: "a", seq: 1, text: "old" } };
    const next = mergeRows(
      current,
      [
        { id: "a", seq: 5, text: "new" },
        { id: "b", seq: 2, text: "b" },
      ],
      byId,
    );
    expect(next.a?.text).toBe("new");
    expect(next.b?.text).toBe("b");
  });

  it("keeps the newer row when a stale read or a late event carries a lower seq", () => {
    const current = { a: { id: "a", seq: 9, text: "newer" } };
    const next = mergeRows(current, [{ id: "a", seq: 4, text: "stale" }], byId);
    expect(next.a?.text).toBe("newer");
    expect(next).toBe(current);
  });

  it("returns the same object when nothing changed, so subscribers do not re-render", () => {
    const current = { a: { id: "a", seq: 3, text: "x" } };
    expect(mergeRows(current, [{ id: "a", seq: 3, text: "x" }], byId)).toBe(current);
    expect(mergeRows(current, [], byId)).toBe(current);
  });

  it("keeps the highest seq when the same key appears twice in one batch", () => {
    const next = mergeRows(
      {},
      [
        { id: "a", seq: 7, text: "seven" },
        { id: "a", seq: 6, text: "six" },
      ],
      byId,
    );
    expect(next.a?.seq).toBe(7);
  });

  it("does not mutate the map it was given", () => {
    const current = { a: { id: "a", seq: 1, text: "x" } };
    mergeRows(current, [{ id: "b", seq: 2, text: "y" }], byId);
    expect(Object.keys(current)).toEqual(["a"]);
  });
});

describe("removeRows", () => {
  it("removes the given keys and leaves the rest", () => {
    const next = removeRows({ a: 1, b: 2 }, ["a", "zz"]);
    expect(next).toEqual({ b: 2 });
  });

  it("returns the same object when no key was present", () => {
    const current = { a: 1 };
    expect(removeRows(current, ["b"])).toBe(current);
  });
});

describe("reconcileRows", () => {
  const inScopeX = (row: TRow) => row.scope === "x";

  it("removes a row of the scope that was deleted while realtime was not listening", () => {
    const before = { a: { id: "a", seq: 1, text: "a", scope: "x" }, b: { id: "b", seq: 2, text: "b", scope: "x" } };
    const next = reconcileRows(before, [{ id: "a", seq: 1, text: "a", scope: "x" }], byId, before, inScopeX);
    expect(Object.keys(next)).toEqual(["a"]);
  });

  it("keeps a row that arrived by realtime while the snapshot was being read", () => {
    const before = { a: { id: "a", seq: 1, text: "a", scope: "x" } };
    const current = { ...before, c: { id: "c", seq: 10, text: "late", scope: "x" } };
    const next = reconcileRows(current, [{ id: "a", seq: 1, text: "a", scope: "x" }], byId, before, inScopeX);
    expect(next.c?.text).toBe("late");
  });

  it("keeps a row that changed during the read even if the snapshot misses it", () => {
    const before = { a: { id: "a", seq: 1, text: "a", scope: "x" } };
    const current = { a: { id: "a", seq: 11, text: "edited", scope: "x" } };
    const next = reconcileRows(current, [], byId, before, inScopeX);
    expect(next.a?.text).toBe("edited");
  });

  it("never touches rows outside the scope", () => {
    const before = { o: { id: "o", seq: 1, text: "other", scope: "y" } };
    const next = reconcileRows(before, [], byId, before, inScopeX);
    expect(next.o?.text).toBe("other");
  });

  it("merges newer snapshot rows over older ones", () => {
    const before = { a: { id: "a", seq: 1, text: "a", scope: "x" } };
    const next = reconcileRows(before, [{ id: "a", seq: 4, text: "a2", scope: "x" }], byId, before, inScopeX);
    expect(next.a?.text).toBe("a2");
  });
});
