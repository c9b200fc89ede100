import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitReplyText, MAX_REPLY_CHARS } from "./fit-reply-text.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("fitReplyText", () => {
  it("leaves a reply that fits alone", () => {
    const text = "a".repeat(MAX_REPLY_CHARS);
    expect(fitReplyText(text)).toBe(text);
  });

  it("cuts a longer reply to the limit and says so at the end", () => {
    const fitted = fitReplyText("word ".repeat(10_000));
    expect(fitted.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
    expect(fitted.startsWith("word word")).toBe(true);
    expect(fitted).toMatch(/\[Reply cut at 20,000 characters: the rest did not fit in a chat message\.\]$/);
  });

  it("never leaves half of a surrogate pair and never exceeds the limit", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 0, maxLength: 400 }), fc.integer({ min: 120, max: 300 }), (text, max) => {
        const fitted = fitReplyText(text, max);
        if (text.length <= max) expect(fitted).toBe(text);
        else expect(fitted.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(fitted)).toBe(false);
      }),
    );
  });
});
