import { describe, expect, it } from "vitest";
import { databaseWriteError } from "./database-write-error.ts";
import { usedByMessage } from "./delete-provider-connection.ts";

describe("databaseWriteError", () => {
  it("turns each refusal into a code and a sentence that says what to do", () => {
    const words = { what: "provider connections", conflict: "Pick another name.", inUse: usedByMessage(["lead", "backend"]) };
    expect(databaseWriteError({ code: "42501", message: "new row violates row-level security policy" }, words)).toMatchObject({
      code: "forbidden",
      message: "Only owners and operators can change provider connections: ask an owner for the operator role.",
    });
    expect(databaseWriteError({ code: "23505", message: "duplicate key" }, words)).toMatchObject({
      code: "conflict",
      message: "Pick another name.",
    });
    expect(databaseWriteError({ code: "23503", message: "violates foreign key constraint" }, words)).toMatchObject({
      code: "conflict",
      message: "Used by @lead, @backend: switch them to another provider first.",
    });
    expect(databaseWriteError({ code: "23514", message: "violates check constraint" }, words).code).toBe("invalid_input");
    expect(databaseWriteError({ message: "fetch failed" }, words)).toMatchObject({
      code: "database_unreachable",
      message: "Could not save the provider connections: fetch failed.",
    });
  });

  it("says an unnamed agent uses the connection when the store does not know which", () => {
    expect(usedByMessage([])).toBe("An agent still uses this connection: switch it to another provider on its page first.");
  });
});
