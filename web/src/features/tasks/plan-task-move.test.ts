import { describe, expect, it } from "vitest";
import { taskRow } from "../../testing/test-rows.ts";
import { columnCards, planKeyboardMove, planTaskMove } from "./plan-task-move.ts";

const board = [
  taskRow("a", { position: 10 }),
  taskRow("b", { position: 20 }),
  taskRow("c", { position: 30 }),
  taskRow("r", { status: "review", position: 5 }),
];
const byId = (id: string) => board.find((t) => t.id === id) ?? taskRow(id);

describe("planTaskMove", () => {
  it("puts a card dropped between two others at their midpoint", () => {
    expect(planTaskMove(board, byId("r"), "inbox", 1)).toEqual({ status: "inbox", position: 15 });
  });

  it("puts a card dropped at the top above the first card and at the end below the last", () => {
    expect(planTaskMove(board, byId("r"), "inbox", 0)).toEqual({ status: "inbox", position: 9 });
    expect(planTaskMove(board, byId("r"), "inbox", 99)).toEqual({ status: "inbox", position: 31 });
  });

  it("keeps the position when the card lands in an empty column", () => {
    expect(planTaskMove(board, byId("a"), "assigned", 0)).toEqual({ status: "assigned", position: 10 });
  });

  it("returns null when the card is dropped where it already is", () => {
    expect(planTaskMove(board, byId("b"), "inbox", 1)).toBeNull();
  });

  it("reorders within a column without counting the moving card", () => {
    expect(planTaskMove(board, byId("a"), "inbox", 2)).toEqual({ status: "inbox", position: 31 });
  });
});

describe("planKeyboardMove", () => {
  it("moves a card to the top of the next column on the right and the left", () => {
    expect(planKeyboardMove(board, byId("b"), "right")).toEqual({ status: "assigned", position: 20 });
    expect(planKeyboardMove(board, byId("r"), "left")).toEqual({ status: "in_progress", position: 5 });
  });

  it("swaps a card with its neighbour above or below", () => {
    const down = planKeyboardMove(board, byId("a"), "down");
    expect(down?.position).toBe(25);
    const up = planKeyboardMove(board, byId("c"), "up");
    expect(up?.position).toBe(15);
  });

  it("does nothing at the edges of the board and of a column", () => {
    expect(planKeyboardMove(board, byId("a"), "left")).toBeNull();
    expect(planKeyboardMove(board, byId("a"), "up")).toBeNull();
    expect(planKeyboardMove(board, byId("c"), "down")).toBeNull();
    expect(planKeyboardMove([taskRow("x", { status: "blocked" })], taskRow("x", { status: "blocked" }), "right")).toBeNull();
  });

  it("leaves the order of a column stable after a move down", () => {
    const plan = planKeyboardMove(board, byId("a"), "down");
    const after = board.map((t) => (t.id === "a" && plan ? { ...t, ...plan } : t));
    expect(columnCards(after, "inbox").map((t) => t.id)).toEqual(["b", "a", "c"]);
  });
});
