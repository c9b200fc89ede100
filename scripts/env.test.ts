import { describe, expect, it } from "vitest";
import { derivePortEnv, readDevEnv } from "./env.ts";

describe("derivePortEnv", () => {
  it("points the dashboard at the executor's port and lets the executor allow the dashboard's port, at both addresses", () => {
    const derived = derivePortEnv(readDevEnv({ CONTROL_API_PORT: "61001", WEB_PORT: "61002" }));
    expect(derived).toEqual({
      CONTROL_API_PORT: "61001",
      CONTROL_API_URL: "http://127.0.0.1:61001",
      WEB_ORIGIN: "http://localhost:61002,http://127.0.0.1:61002",
    });
  });

  it("keeps the defaults when no port is set", () => {
    expect(derivePortEnv(readDevEnv({}))).toEqual({
      CONTROL_API_PORT: "54330",
      CONTROL_API_URL: "http://127.0.0.1:54330",
      WEB_ORIGIN: "http://localhost:3000,http://127.0.0.1:3000",
    });
  });

  it("never overrides a URL set explicitly", () => {
    const derived = derivePortEnv(
      readDevEnv({
        CONTROL_API_PORT: "61001",
        WEB_PORT: "61002",
        CONTROL_API_URL: "https://ops.example.com/api/",
        WEB_ORIGIN: "https://ops.example.com",
      }),
    );
    expect(derived.CONTROL_API_URL).toBe("https://ops.example.com/api");
    expect(derived.WEB_ORIGIN).toBe("https://ops.example.com");
  });

  it("uses the executor's public URL, and a browser address for a listen-on-all host", () => {
    expect(derivePortEnv(readDevEnv({ CONTROL_API_PUBLIC_URL: "http://box.lan:9000" })).CONTROL_API_URL).toBe("http://box.lan:9000");
    expect(derivePortEnv(readDevEnv({ CONTROL_API_HOST: "0.0.0.0", CONTROL_API_PORT: "9001" })).CONTROL_API_URL).toBe(
      "http://127.0.0.1:9001",
    );
  });

  it("names the variable that is wrong", () => {
    expect(() => readDevEnv({ WEB_PORT: "70000" })).toThrow(/WEB_PORT/);
    expect(() => readDevEnv({ CONTROL_API_URL: "not a url" })).toThrow(/CONTROL_API_URL/);
  });
});
