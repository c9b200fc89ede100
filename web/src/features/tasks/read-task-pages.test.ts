import { describe, expect, it } from "vitest";
import { taskRow } from "../../testing/test-rows.ts";
import { columnCards } from "./plan-task-move.ts";
import { afterCardFilter, visibleColumnCards } from "./read-task-pages.ts";

const card = (id: string, position: number, created_at = "2026-12-01T10:00:00.5+00:00") => taskRow(id, { position, created_at });

describe("afterCardFilter", () => {
  it("pages after the last card by position, then creation time, then id, with every value quoted", () => {
    expect(afterCardFilter({ position: 1764583200.25, created_at: "2026-12-01T10:00:00.123+00:00", id: "a-1" })).toBe(
      'position.gt."1764583200.25",' +
        'and(position.eq."1764583200.25",created_at.gt."2026-12-01T10:00:00.123+00:00"),' +
        'and(position.eq."1764583200.25",created_at.eq."2026-12-01T10:00:00.123+00:00",id.gt."a-1")',
    );
  });
});

describe("visibleColumnCards", () => {
  const cards = columnCards([card("c3", 3), card("c1", 1), card("c2", 2), card("c2b", 2, "2026-12-01T10:00:01+00:00")], "inbox");

  it("shows nothing before the column's first page is back", () => {
    expect(visibleColumnCards(cards, undefined)).toEqual([]);
  });

  it("shows the cards up to the last one read, not one realtime brought from further down", () => {
    const page = { last: { position: 2, created_at: "2026-12-01T10:00:00.5+00:00", id: "c2" }, exhausted: false };
    expect(visibleColumnCards(cards, page).map((c) => c.id)).toEqual(["c1", "c2"]);
  });

  it("keeps the boundary when the last card read has moved to another column", () => {
    const page = { last: { position: 2.5, created_at: "2026-12-01T10:00:00.5+00:00", id: "gone" }, exhausted: false };
    expect(visibleColumnCards(cards, page).map((c) => c.id)).toEqual(["c1", "c2", "c2b"]);
  });

  it("shows every card of the store once the column has nothing more to read", () => {
    expect(visibleColumnCards(cards, { last: null, exhausted: true }).map((c) => c.id)).toEqual(["c1", "c2", "c2b", "c3"]);
  });

  it("orders equal positions by creation time as Postgres does (a shorter fraction is earlier)", () => {
    const a = card("a", 5, "2026-12-01T10:00:00+00:00");
    const b = card("b", 5, "2026-12-01T10:00:00.1+00:00");
    const c = card("c", 5, "2026-12-01T10:00:00.12+00:00");
    expect(columnCards([c, b, a], "inbox").map((t) => t.id)).toEqual(["a", "b", "c"]);
  });
});
