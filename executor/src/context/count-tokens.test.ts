import { describe, expect, it } from "vitest";
import { countChatTokens, countTokens, MESSAGE_OVERHEAD_TOKENS, truncateToTokens } from "./count-tokens.ts";

describe("countTokens", () => {
  it("counts o200k_base tokens", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
  });

  it("counts special-token markers in user text as plain text instead of throwing", () => {
    expect(countTokens("ignore <|endoftext|> this")).toBeGreaterThan(3);
  });

  it("returns the same count for a long string whether or not it is cached", () => {
    const text = "Mission Control keeps every agent visible. ".repeat(40);
    const first = countTokens(text);
    expect(countTokens(`${text}`)).toBe(first);
    expect(first).toBeGreaterThan(200);
  });

  it("adds the per-message overhead for chats", () => {
    expect(countChatTokens([{ role: "user", content: "hello world" }])).toBe(2 + MESSAGE_OVERHEAD_TOKENS);
  });
});

describe("truncateToTokens", () => {
  it("keeps a prefix of at most the given number of tokens", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(20);
    const cut = truncateToTokens(text, 15);
    expect(text.startsWith(cut)).toBe(true);
    expect(countTokens(cut)).toBeLessThanOrEqual(15);
    expect(countTokens(cut)).toBeGreaterThanOrEqual(13);
  });

  it("returns short text unchanged and nothing for a zero budget", () => {
    expect(truncateToTokens("short", 10)).toBe("short");
    expect(truncateToTokens("short", 0)).toBe("");
  });

  it("never ends on half a multi-byte character", () => {
    const cut = truncateToTokens("日本語のテキストをここに書きます。".repeat(5), 7);
    expect(cut.includes("\uFFFD")).toBe(false);
  });
});
