import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { followVerifyLink, mailsTo, newestMailTo } from "../../testing/mailbox-fixtures.ts";
import { anonClient, serviceClient } from "../../testing/stack-clients.ts";

const WEB = "http://127.0.0.1:43212";

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("auth: password recovery by email", () => {
  it("mails a recovery link; its session sets a new password, which then signs in", async () => {
    const email = newEmail("forgot");
    await serviceClient().auth.admin.createUser({ email, password: "old-password", email_confirm: true });
    const asked = await anonClient().auth.resetPasswordForEmail(email, { redirectTo: `${WEB}/reset` });
    expect(asked.error).toBeNull();
    const mail = await newestMailTo(email);
    expect(mail.subject).toBe("Reset your password");
    const followed = await followVerifyLink(mail.links[0]?.url ?? "");
    expect(followed.location.startsWith(`${WEB}/reset#`)).toBe(true);
    expect(followed.fragment.get("type")).toBe("recovery");

    const client = anonClient();
    await client.auth.setSession({
      access_token: followed.fragment.get("access_token") ?? "",
      refresh_token: followed.fragment.get("refresh_token") ?? "",
    });
    const same = await client.auth.updateUser({ password: "old-password" });
    expect(same.error?.status).toBe(422);
    expect(same.error?.code).toBe("same_password");
    const changed = await client.auth.updateUser({ password: "new-password" });
    expect(changed.error).toBeNull();

    const oldOne = await anonClient().auth.signInWithPassword({ email, password: "old-password" });
    expect(oldOne.error?.code).toBe("invalid_credentials");
    const newOne = await anonClient().auth.signInWithPassword({ email, password: "new-password" });
    expect(newOne.error).toBeNull();
    expect(newOne.data.user?.email).toBe(email);
  });

  it("answers an unknown address like a known one and mails nothing", async () => {
    const email = newEmail("nobody");
    const asked = await anonClient().auth.resetPasswordForEmail(email);
    expect(asked.error).toBeNull();
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("refuses a request without an email", async () => {
    const asked = await anonClient().auth.resetPasswordForEmail("");
    expect(asked.error?.status).toBe(400);
    expect(asked.error?.code).toBe("validation_failed");
  });
});
