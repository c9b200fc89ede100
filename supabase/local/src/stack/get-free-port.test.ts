import { describe, expect, it } from "vitest";
import { getFreePort } from "./get-free-port.ts";

describe("getFreePort", () => {
  it("never hands out the same port twice in one process, though nothing listens on the earlier ones", async () => {
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await getFreePort());
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.every((port) => port > 0 && port < 65536)).toBe(true);
  });
});
