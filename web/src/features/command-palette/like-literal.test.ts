import { describe, expect, it } from "vitest";
import { likeLiteral } from "./like-literal.ts";

describe("likeLiteral", () => {
  it("escapes the characters ILIKE reads as wildcards or escapes", () => {
    expect(likeLiteral("100% done_now \\ ok")).toBe("100\\% done\\_now \\\\ ok");
    expect(likeLiteral("release plan")).toBe("release plan");
  });
});
