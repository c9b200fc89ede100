import { describe, expect, it } from "vitest";
import { rpcWriteError } from "./rpc-write-error.ts";

describe("rpcWriteError", () => {
  it("keeps the database's words and its hint, with a code the screen can act on", () => {
    const err = rpcWriteError("cancel the run", { code: "55000", message: "run is completed", hint: "only active runs can be cancelled" });
    expect(err.code).toBe("conflict");
    expect(err.message).toBe("Could not cancel the run: run is completed — only active runs can be cancelled");
  });

  it("maps a viewer's refusal to forbidden and anything unknown to the database being unreachable", () => {
    expect(rpcWriteError("start a run", { code: "42501", message: "viewers cannot start runs" }).code).toBe("forbidden");
    expect(rpcWriteError("start a run", { message: "fetch failed" }).code).toBe("database_unreachable");
  });

  it("maps the HTTP-status SQLSTATEs: PT409 (wrong state) to conflict, PT404 (not found) to invalid input", () => {
    expect(rpcWriteError("cancel the run", { code: "PT409", message: "Run x is already completed" }).code).toBe("conflict");
    expect(rpcWriteError("cancel the run", { code: "PT404", message: "Run x not found" }).code).toBe("invalid_input");
  });
});
