import { describe, expect, it } from "vitest";
import { DEFAULT_API_CONFIG, parseApiConfig, readApiConfig } from "./read-api-config.ts";

describe("parseApiConfig", () => {
  it("reads schemas, extra_search_path and max_rows from [api] only", () => {
    const config = parseApiConfig(`
[db]
schemas = ["not", "this"]
[api]
enabled = true # a comment
schemas = [
  "public",   # the default schema
  "api",
]
extra_search_path = ["public", "extensions"]
max_rows = 500
[api.tls]
enabled = false
`);
    expect(config).toEqual({ schemas: ["public", "api"], extraSearchPath: ["public", "extensions"], maxRows: 500 });
  });

  it("falls back to the CLI defaults for missing keys", () => {
    expect(parseApiConfig("[api]\nport = 54321\n")).toEqual(DEFAULT_API_CONFIG);
  });

  it("refuses a value of the wrong shape, saying what to write", () => {
    expect(() => parseApiConfig("[api]\nschemas = public\n")).toThrow(/array of strings/);
    expect(() => parseApiConfig("[api]\nmax_rows = many\n")).toThrow(/whole number/);
  });

  it("reads the project's own config.toml", () => {
    expect(readApiConfig().schemas[0]).toBe("public");
  });
});
