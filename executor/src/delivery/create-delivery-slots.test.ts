import { describe, expect, it } from "vitest";
import { createDeliverySlots } from "./create-delivery-slots.ts";

const violation = (pattern: RegExp) => expect.objectContaining({ code: "internal", message: expect.stringMatching(pattern) });

describe("createDeliverySlots", () => {
  it("moves a delivery from running to saving and frees its slot once saved", () => {
    const slots = createDeliverySlots(2);
    slots.take("a");
    expect(slots.stateOf("a")).toBe("running");
    expect(slots.free()).toBe(1);
    slots.move("a", "running", "saving");
    slots.check("a", "saving");
    slots.release("a", "saving");
    expect(slots.stateOf("a")).toBeUndefined();
    expect(slots.held).toBe(0);
    expect(slots.free()).toBe(2);
  });

  it("refuses to take a delivery it holds already", () => {
    const slots = createDeliverySlots(2);
    slots.take("a");
    expect(() => slots.take("a")).toThrow(violation(/delivery a was claimed again while it is running/));
  });

  it("refuses a move, release or check from a state the delivery is not in", () => {
    const slots = createDeliverySlots(2);
    slots.take("a");
    expect(() => slots.move("a", "saving", "running")).toThrow(violation(/cannot move to running delivery a: it is running, not saving/));
    expect(() => slots.release("a", "saving")).toThrow(violation(/cannot release delivery a/));
    expect(() => slots.check("b", "saving")).toThrow(violation(/delivery b: it is not held/));
    expect(slots.stateOf("a")).toBe("running");
  });

  it("lets a delivery end only while running or after its reply was saved, never while saving", () => {
    const slots = createDeliverySlots(2);
    slots.take("a");
    slots.take("b");
    slots.move("b", "running", "saving");
    slots.end("a");
    expect(() => slots.end("b")).toThrow(violation(/delivery b ended while its reply is being saved/));
    slots.release("b", "saving");
    slots.end("b");
    expect(slots.held).toBe(0);
  });

  it("reserves at most the free slots, so its own claims keep held + reserved within the concurrency", () => {
    const slots = createDeliverySlots(3);
    slots.take("a");
    expect(() => slots.reserve(3)).toThrow(violation(/cannot reserve 3 slots: 2 free of 3/));
    slots.reserve(2);
    expect(slots.free()).toBe(0);
    expect(slots.held + slots.reserved).toBe(3);
    expect(() => slots.reserve(1)).toThrow(violation(/cannot reserve 1 slots: 0 free/));
    expect(() => slots.unreserve(3)).toThrow(violation(/cannot end a reservation of 3 slots: 2 reserved/));
    slots.unreserve(2);
    expect(slots.reserved).toBe(0);
  });

  it("lets a claim made along with saving replies take their slots plus the free ones, minus those promised elsewhere", () => {
    const slots = createDeliverySlots(4);
    for (const id of ["a", "b", "c"]) slots.take(id);
    slots.move("a", "running", "saving");
    expect(slots.freeAlong(1)).toBe(2);
    slots.reserve(1);
    expect(slots.freeAlong(1)).toBe(1);
    // More held than the concurrency (the Control API started a message's deliveries at once): nothing along.
    slots.unreserve(1);
    for (const id of ["d", "e", "f"]) slots.take(id);
    expect(slots.free()).toBe(0);
    expect(slots.freeAlong(1)).toBe(0);
  });
});
