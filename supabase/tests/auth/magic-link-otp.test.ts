import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { followVerifyLink, mailCode, mailsTo, newestMailTo } from "../../testing/mailbox-fixtures.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

const WEB = "http://localhost:43211";
const pool = sqlPool();
afterAll(() => pool.end());

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("auth: magic links and email codes (signInWithOtp)", () => {
  it("mails a magic link to an existing user that signs in on emailRedirectTo", async () => {
    const email = newEmail("magic");
    await serviceClient().auth.admin.createUser({ email, password: "pw-123456", email_confirm: true });
    const sent = await anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false, emailRedirectTo: `${WEB}/projects` } });
    expect(sent.error).toBeNull();
    const mail = await newestMailTo(email);
    expect(mail.subject).toBe("Your sign-in link");
    const followed = await followVerifyLink(mail.links[0]?.url ?? "");
    expect(followed.location.startsWith(`${WEB}/projects#`)).toBe(true);
    expect(followed.fragment.get("type")).toBe("magiclink");
    const client = anonClient();
    await client.auth.setSession({
      access_token: followed.fragment.get("access_token") ?? "",
      refresh_token: followed.fragment.get("refresh_token") ?? "",
    });
    expect((await client.auth.getUser()).data.user?.email).toBe(email);
  });

  it("signs in with the 6-digit code of the mail through verifyOtp, once", async () => {
    const email = newEmail("code");
    await anonClient().auth.signInWithOtp({ email, options: { data: { name: "Grace" } } });
    const code = mailCode(await newestMailTo(email));
    const client = anonClient();
    const verified = await client.auth.verifyOtp({ email, token: code, type: "email" });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.user.email).toBe(email);
    expect(verified.data.user?.user_metadata).toEqual({ name: "Grace" });
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
    const again = await anonClient().auth.verifyOtp({ email, token: code, type: "email" });
    expect(again.error?.status).toBe(403);
    expect(again.error?.code).toBe("otp_expired");
  });

  it("refuses a wrong code and a code for another address", async () => {
    const email = newEmail("wrong");
    await anonClient().auth.signInWithOtp({ email });
    const code = mailCode(await newestMailTo(email));
    const wrong = await anonClient().auth.verifyOtp({ email, token: code === "000000" ? "111111" : "000000", type: "email" });
    expect(wrong.error?.code).toBe("otp_expired");
    const other = await anonClient().auth.verifyOtp({ email: newEmail("other"), token: code, type: "email" });
    expect(other.error?.code).toBe("otp_expired");
  });

  it("creates no account for an unknown address when shouldCreateUser is false (422 otp_disabled)", async () => {
    const email = newEmail("stranger");
    const sent = await anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(sent.error?.status).toBe(422);
    expect(sent.error?.code).toBe("otp_disabled");
    expect(await mailsTo(email)).toHaveLength(0);
    const { rowCount } = await pool.query("select 1 from auth.users where email = $1", [email]);
    expect(rowCount).toBe(0);
  });

  it("sends one mail per minute per user (429 over_email_send_rate_limit), then again once the minute is over", async () => {
    const email = newEmail("limited");
    expect((await anonClient().auth.signInWithOtp({ email })).error).toBeNull();
    const second = await anonClient().auth.signInWithOtp({ email });
    expect(second.error?.status).toBe(429);
    expect(second.error?.code).toBe("over_email_send_rate_limit");
    expect(second.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    expect(await mailsTo(email)).toHaveLength(1);
    // A minute later, written into the row instead of waited for.
    await pool.query("update auth.users set recovery_sent_at = now() - interval '61 seconds' where email = $1", [email]);
    expect((await anonClient().auth.signInWithOtp({ email })).error).toBeNull();
    await newestMailTo(email, 2);
  });

  it("answers verifyOtp with bad parameters like GoTrue", async () => {
    const noType = await anonClient().auth.verifyOtp({ token_hash: "x", type: "" as "email" });
    expect(noType.error?.code).toBe("validation_failed");
    const badHash = await anonClient().auth.verifyOtp({ token_hash: "not-a-token", type: "magiclink" });
    expect(badHash.error?.status).toBe(403);
    expect(badHash.error?.code).toBe("otp_expired");
    const phone = await anonClient().auth.signInWithOtp({ phone: "+15555550100" });
    expect(phone.error?.status).toBe(400);
    expect(phone.error?.code).toBe("phone_provider_disabled");
  });
});
