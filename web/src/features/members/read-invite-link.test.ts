import { describe, expect, it } from "vitest";
import { readInviteLink } from "./read-invite-link.ts";

describe("readInviteLink", () => {
  it("reads the session of a new invited user from the fragment", () => {
    expect(readInviteLink("#access_token=a.b.c&expires_in=3600&refresh_token=r1&token_type=bearer&type=invite", "")).toEqual({
      kind: "session",
      accessToken: "a.b.c",
      refreshToken: "r1",
      type: "invite",
    });
  });

  it("tells an existing user's magic link from an invitation", () => {
    const link = readInviteLink("access_token=t&refresh_token=r&type=magiclink", "");
    expect(link.kind === "session" ? link.type : null).toBe("magiclink");
  });

  it("says what to do with an expired or used link", () => {
    const link = readInviteLink("#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired", "");
    expect(link).toEqual({
      kind: "error",
      message:
        "This invitation link has expired or was already used. If you already chose a password, sign in; " +
        "otherwise ask the project owner to send the invitation again (Settings → Members → Retry).",
    });
  });

  it("reads an error GoTrue put in the query and keeps its reason", () => {
    const link = readInviteLink("", "?error=server_error&error_description=Database+error+granting+user");
    expect(link.kind === "error" ? link.message : null).toContain("(Database error granting user)");
  });

  it("is nothing without a token, and an error with half of one", () => {
    expect(readInviteLink("", "")).toEqual({ kind: "none" });
    expect(readInviteLink("#access_token=t", "").kind).toBe("error");
  });
});
