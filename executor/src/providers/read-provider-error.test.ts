import { describe, expect, it } from "vitest";
import { displayBaseUrl, readProviderErrorMessage, redactSecrets } from "./read-provider-error.ts";

describe("readProviderErrorMessage", () => {
  it("extracts the message from OpenAI, Anthropic, Ollama and vLLM error bodies", () => {
    expect(readProviderErrorMessage('{"error":{"message":"model not found","type":"invalid_request_error"}}', [])).toBe("model not found");
    expect(readProviderErrorMessage('{"type":"error","error":{"type":"not_found_error","message":"model: x"}}', [])).toBe("model: x");
    expect(readProviderErrorMessage('{"error":"model \\"llama9\\" not found, try pulling it first"}', [])).toContain(
      "try pulling it first",
    );
    expect(readProviderErrorMessage('{"object":"error","message":"max_tokens too large"}', [])).toBe("max_tokens too large");
  });

  it("falls back to the start of a non-JSON body", () => {
    expect(readProviderErrorMessage(`<html>${"x".repeat(1000)}</html>`, [])).toHaveLength(501);
  });

  it("never returns a secret it was given or anything shaped like an API key", () => {
    const message = readProviderErrorMessage('{"error":{"message":"bad key my-custom-secret and sk-proj-abcdefghijklmnop"}}', [
      "my-custom-secret",
    ]);
    expect(message).toBe("bad key [redacted] and sk-[redacted]");
    expect(redactSecrets("nothing here", ["abc"])).toBe("nothing here");
  });
});

describe("displayBaseUrl", () => {
  it("drops credentials and query strings from URLs shown in messages", () => {
    expect(displayBaseUrl("https://user:pass@gateway.example.com/v1/?key=abc123")).toBe("https://gateway.example.com/v1");
    expect(displayBaseUrl("not a url")).toBe("(invalid URL)");
  });
});
