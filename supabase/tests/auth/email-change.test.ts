import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { followVerifyLink, mailCode, mailsTo, newestMailTo } from "../../testing/mailbox-fixtures.ts";
import { anonClient, serviceClient, signedInClient } from "../../testing/stack-clients.ts";

const WEB = "http://127.0.0.1:43213";

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("auth: email change confirmed by the new address", () => {
  it("keeps the old address until the link mailed to the new one is followed", async () => {
    const { client, email, password } = await signedInClient("mover");
    const next = newEmail("moved");
    const asked = await client.auth.updateUser({ email: next }, { emailRedirectTo: `${WEB}/settings` });
    expect(asked.error).toBeNull();
    expect(asked.data.user?.email).toBe(email);
    expect(asked.data.user?.new_email).toBe(next);
    expect(await mailsTo(email)).toHaveLength(0);

    const mail = await newestMailTo(next);
    expect(mail.subject).toBe("Confirm your new email address");
    const stillOld = await anonClient().auth.signInWithPassword({ email, password });
    expect(stillOld.error).toBeNull();

    const followed = await followVerifyLink(mail.links[0]?.url ?? "");
    expect(followed.location.startsWith(`${WEB}/settings#`)).toBe(true);
    expect(followed.fragment.get("type")).toBe("email_change");
    const moved = await anonClient().auth.signInWithPassword({ email: next, password });
    expect(moved.error).toBeNull();
    expect(moved.data.user?.new_email).toBeUndefined();
    const old = await anonClient().auth.signInWithPassword({ email, password });
    expect(old.error?.code).toBe("invalid_credentials");
  });

  it("confirms with the code sent to the new address (verifyOtp type email_change)", async () => {
    const { client, password } = await signedInClient("coder");
    const next = newEmail("coded");
    await client.auth.updateUser({ email: next });
    const verified = await anonClient().auth.verifyOtp({ email: next, token: mailCode(await newestMailTo(next)), type: "email_change" });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(next);
    expect((await anonClient().auth.signInWithPassword({ email: next, password })).error).toBeNull();
  });

  it("refuses an address another user has (422 email_exists)", async () => {
    const taken = newEmail("taken");
    await serviceClient().auth.admin.createUser({ email: taken, password: "pw-123456", email_confirm: true });
    const { client } = await signedInClient("grabber");
    const asked = await client.auth.updateUser({ email: taken });
    expect(asked.error?.status).toBe(422);
    expect(asked.error?.code).toBe("email_exists");
  });
});
