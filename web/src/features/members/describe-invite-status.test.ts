import { INVITE_STATUSES } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { describeInviteStatus } from "./describe-invite-status.ts";

describe("describeInviteStatus", () => {
  it("keeps queued, sent and failed invitations pending (revocable), the others closed", () => {
    const pending = INVITE_STATUSES.filter((status) => describeInviteStatus(status, null).pending);
    expect(pending).toEqual(["queued", "sent", "failed"]);
  });

  it("shows a queued invitation with an error as retrying, with the error", () => {
    expect(describeInviteStatus("queued", "SMTP refused the address")).toMatchObject({
      label: "retrying",
      next: "The last attempt to mail it failed (SMTP refused the address); the executor tries again.",
    });
  });

  it("says a failed invitation's error and to retry", () => {
    expect(describeInviteStatus("failed", "mailbox full").next).toBe("The mail was not sent: mailbox full. Fix the cause, then Retry.");
  });
});
