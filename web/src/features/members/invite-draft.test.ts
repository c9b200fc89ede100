import { describe, expect, it } from "vitest";
import { parseInviteDraft } from "./invite-draft.ts";

describe("parseInviteDraft", () => {
  it("normalises the address and keeps the role", () => {
    expect(parseInviteDraft({ email: "  Ada@Example.COM ", role: "operator" }, [])).toEqual({
      ok: true,
      value: { email: "ada@example.com", role: "operator" },
    });
  });

  it("says what to write when the address is empty or malformed", () => {
    expect(parseInviteDraft({ email: " ", role: "viewer" }, [])).toEqual({
      ok: false,
      issues: { email: "is empty: enter the address to send the invitation to." },
    });
    const bad = parseInviteDraft({ email: "ada@", role: "viewer" }, []);
    expect(bad.ok ? null : bad.issues.email).toBe('"ada@" is not an email address: write it as name@example.com.');
  });

  it("refuses an address that is already a member, whatever its case", () => {
    const result = parseInviteDraft({ email: "ADA@example.com", role: "viewer" }, ["ada@example.com"]);
    expect(result.ok ? null : result.issues.email).toBe(
      "ada@example.com is already a member: change their role in the list below instead.",
    );
  });

  it("refuses a role outside owner, operator and viewer", () => {
    const result = parseInviteDraft({ email: "ada@example.com", role: "admin" }, []);
    expect(result.ok ? null : result.issues).toEqual({ role: "is not chosen: pick owner, operator or viewer." });
  });
});
