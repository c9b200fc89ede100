import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { followVerifyLink, mailsTo } from "../../testing/mailbox-fixtures.ts";
import { anonClient, serviceClient, stackInfo } from "../../testing/stack-clients.ts";

const WEB = "http://127.0.0.1:43214";

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("auth: admin generateLink", () => {
  it("makes an invite link with GoTrue's properties, creates the user and sends no mail", async () => {
    const email = newEmail("gen-invite");
    const { data, error } = await serviceClient().auth.admin.generateLink({
      type: "invite",
      email,
      options: { redirectTo: WEB, data: { a: 1 } },
    });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.invited_at).toBeTruthy();
    expect(data.properties?.verification_type).toBe("invite");
    expect(data.properties?.redirect_to).toBe(WEB);
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    expect(data.properties?.hashed_token).toMatch(/^[0-9a-f]{56}$/);
    const link = new URL(data.properties?.action_link ?? "");
    expect(`${link.origin}${link.pathname}`).toBe(`${stackInfo().url}/auth/v1/verify`);
    expect(link.searchParams.get("token")).toBe(data.properties?.hashed_token);
    expect(await mailsTo(email)).toHaveLength(0);
    const followed = await followVerifyLink(link.toString());
    expect(followed.location.startsWith(`${WEB}#`)).toBe(true);
    expect(followed.fragment.get("access_token")).toBeTruthy();
  });

  it("makes magic link, recovery and signup links whose hashed_token and code verify", async () => {
    const email = newEmail("gen-existing");
    await serviceClient().auth.admin.createUser({ email, password: "pw-123456", email_confirm: true });
    const magic = await serviceClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(magic.data.properties?.verification_type).toBe("magiclink");
    const byHash = await anonClient().auth.verifyOtp({ token_hash: magic.data.properties?.hashed_token ?? "", type: "magiclink" });
    expect(byHash.error).toBeNull();
    expect(byHash.data.user?.email).toBe(email);

    const recovery = await serviceClient().auth.admin.generateLink({ type: "recovery", email });
    expect(recovery.data.properties?.verification_type).toBe("recovery");
    const byCode = await anonClient().auth.verifyOtp({ email, token: recovery.data.properties?.email_otp ?? "", type: "recovery" });
    expect(byCode.error).toBeNull();

    const fresh = newEmail("gen-signup");
    const signup = await serviceClient().auth.admin.generateLink({ type: "signup", email: fresh, password: "pw-654321" });
    expect(signup.error).toBeNull();
    expect(signup.data.user?.email_confirmed_at).toBeUndefined();
    const confirmed = await anonClient().auth.verifyOtp({ token_hash: signup.data.properties?.hashed_token ?? "", type: "signup" });
    expect(confirmed.data.user?.email_confirmed_at).toBeTruthy();
    expect((await anonClient().auth.signInWithPassword({ email: fresh, password: "pw-654321" })).error).toBeNull();
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("turns a magic link for an unknown address into a signup, as GoTrue", async () => {
    const email = newEmail("gen-unknown");
    const { data } = await serviceClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(data.properties?.verification_type).toBe("signup");
    expect(data.user?.email).toBe(email);
  });

  it("refuses recovery for an unknown address (404), a confirmed user's invite (422) and an unknown type (400)", async () => {
    const unknown = await serviceClient().auth.admin.generateLink({ type: "recovery", email: newEmail("gen-none") });
    expect(unknown.error?.status).toBe(404);
    expect(unknown.error?.code).toBe("user_not_found");
    const email = newEmail("gen-member");
    await serviceClient().auth.admin.createUser({ email, password: "pw-123456", email_confirm: true });
    const invite = await serviceClient().auth.admin.generateLink({ type: "invite", email });
    expect(invite.error?.status).toBe(422);
    expect(invite.error?.code).toBe("email_exists");
    const badType = await serviceClient().auth.admin.generateLink({ type: "sms" as "invite", email });
    expect(badType.error?.status).toBe(400);
    expect(badType.error?.code).toBe("validation_failed");
    const anon = await anonClient().auth.admin.generateLink({ type: "magiclink", email });
    expect(anon.error?.code).toBe("not_admin");
  });
});
