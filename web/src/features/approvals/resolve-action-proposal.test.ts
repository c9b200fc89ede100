import { describe, expect, it } from "vitest";
import { resolveError } from "./resolve-action-proposal.ts";

describe("resolveError", () => {
  it("maps the database's refusals to codes the card can act on, keeping its words and hint", () => {
    const viewer = resolveError({ code: "42501", message: "Only operators and owners can approve", hint: "Ask an owner." });
    expect(viewer.code).toBe("forbidden");
    expect(viewer.message).toBe("Only operators and owners can approve Ask an owner.");
    expect(resolveError({ code: "55000", message: "already rejected" }).code).toBe("conflict");
    expect(resolveError({ code: "PT409", message: "already rejected" }).code).toBe("conflict");
    expect(resolveError({ code: "PT404", message: "Action proposal x not found" }).code).toBe("invalid_input");
    expect(resolveError({ code: "22023", message: "A rejection needs a comment" }).code).toBe("invalid_input");
  });

  it("treats anything else as the database being unreachable", () => {
    const err = resolveError({ message: "fetch failed" });
    expect(err.code).toBe("database_unreachable");
    expect(err.message).toMatch(/^Could not record the decision/);
  });
});
