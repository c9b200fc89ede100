import { describe, expect, it } from "vitest";
import { formatAge, formatExpiry } from "./format-age.ts";

const now = Date.parse("2026-11-21T12:00:00Z");

describe("formatAge / formatExpiry", () => {
  it("says how long ago a proposal was made", () => {
    expect(formatAge("proposed", "2026-11-21T10:00:00Z", now)).toBe("proposed 2 h ago");
    expect(formatAge("proposed", "2026-11-21T11:55:00Z", now)).toBe("proposed 5 min ago");
    expect(formatAge("proposed", "2026-11-21T11:59:40Z", now)).toBe("proposed just now");
    expect(formatAge("proposed", "2026-11-18T12:00:00Z", now)).toBe("proposed 3 d ago");
  });

  it("says when a proposal expires, or that it has", () => {
    expect(formatExpiry("2026-11-22T10:00:00Z", now)).toBe("expires in 22 h");
    expect(formatExpiry("2026-11-21T11:30:00Z", now)).toBe("expired 30 min ago");
  });
});
