import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { followVerifyLink, mailsTo, newestMailTo } from "../../testing/mailbox-fixtures.ts";
import { anonClient, serviceClient, sqlPool, stackInfo } from "../../testing/stack-clients.ts";

const WEB = "http://127.0.0.1:43210";
const pool = sqlPool();
afterAll(() => pool.end());

function newEmail(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("auth: invites by email", () => {
  it("invites a new user, mails a link that lands on redirectTo with a working session", async () => {
    const email = newEmail("invitee");
    const invited = await serviceClient().auth.admin.inviteUserByEmail(email, {
      redirectTo: `${WEB}/invite/accept?project=p1`,
      data: { project: "p1" },
    });
    expect(invited.error).toBeNull();
    expect(invited.data.user?.email).toBe(email);
    expect(invited.data.user?.invited_at).toBeTruthy();
    expect(invited.data.user?.email_confirmed_at).toBeUndefined();
    expect(invited.data.user?.user_metadata).toEqual({ project: "p1" });

    const mail = await newestMailTo(email);
    expect(mail.subject).toBe("You have been invited");
    expect(mail.text).toContain("expire in 60 minutes");
    const link = mail.links[0]?.url ?? "";
    expect(link.startsWith(`${stackInfo().url}/auth/v1/verify?`)).toBe(true);
    expect(new URL(link).searchParams.get("type")).toBe("invite");

    const followed = await followVerifyLink(link);
    expect(followed.status).toBe(303);
    expect(followed.location.startsWith(`${WEB}/invite/accept?project=p1#`)).toBe(true);
    expect(followed.fragment.get("type")).toBe("invite");
    expect(followed.fragment.get("token_type")).toBe("bearer");
    expect(followed.fragment.get("expires_in")).toBe("3600");

    const client = anonClient();
    const session = await client.auth.setSession({
      access_token: followed.fragment.get("access_token") ?? "",
      refresh_token: followed.fragment.get("refresh_token") ?? "",
    });
    expect(session.error).toBeNull();
    const me = await client.auth.getUser();
    expect(me.data.user?.email).toBe(email);
    expect(me.data.user?.email_confirmed_at).toBeTruthy();
  });

  it("refuses to invite an address that is already a confirmed user (422 email_exists)", async () => {
    const email = newEmail("member");
    await serviceClient().auth.admin.createUser({ email, password: "pw-123456", email_confirm: true });
    const again = await serviceClient().auth.admin.inviteUserByEmail(email);
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe("email_exists");
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("re-invites an invitee who has not accepted: the new link works, the old one no longer does", async () => {
    const email = newEmail("reinvite");
    await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo: WEB });
    const first = await newestMailTo(email);
    await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo: WEB });
    const second = await newestMailTo(email, 2);
    expect(second.id).toBeGreaterThan(first.id);
    const old = await followVerifyLink(first.links[0]?.url ?? "");
    expect(old.fragment.get("error_code")).toBe("otp_expired");
    const fresh = await followVerifyLink(second.links[0]?.url ?? "");
    expect(fresh.fragment.get("access_token")).toBeTruthy();
  });

  it("answers a used link and an expired link with an error redirect (otp_expired)", async () => {
    const email = newEmail("once");
    await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo: WEB });
    const link = (await newestMailTo(email)).links[0]?.url ?? "";
    expect((await followVerifyLink(link)).fragment.get("access_token")).toBeTruthy();
    const reused = await followVerifyLink(link);
    expect(reused.status).toBe(303);
    expect(reused.location.startsWith(`${WEB}#`)).toBe(true);
    expect(reused.fragment.get("error")).toBe("access_denied");
    expect(reused.fragment.get("error_code")).toBe("otp_expired");
    expect(reused.fragment.get("error_description")).toBe("Email link is invalid or has expired");
    expect(reused.fragment.get("access_token")).toBeNull();

    const late = newEmail("late");
    await serviceClient().auth.admin.inviteUserByEmail(late, { redirectTo: WEB });
    const lateLink = (await newestMailTo(late)).links[0]?.url ?? "";
    // An hour later, written into the row instead of waited for.
    await pool.query("update auth.one_time_tokens set expires_at = now() - interval '1 second' where email = $1", [late]);
    expect((await followVerifyLink(lateLink)).fragment.get("error_code")).toBe("otp_expired");
    // The hour is the stored expiry: issued now, expiring in 3600 s.
    const fresh = newEmail("fresh");
    await serviceClient().auth.admin.inviteUserByEmail(fresh);
    const { rows } = await pool.query<{ seconds: number }>(
      "select extract(epoch from expires_at - created_at)::int as seconds from auth.one_time_tokens where email = $1",
      [fresh],
    );
    expect(rows[0]?.seconds).toBe(3600);
  });

  it("stores only hashes of the link token and the code", async () => {
    const email = newEmail("hashed");
    await serviceClient().auth.admin.inviteUserByEmail(email);
    const link = new URL((await newestMailTo(email)).links[0]?.url ?? "");
    const token = link.searchParams.get("token") ?? "";
    const { rows } = await pool.query<{ token_hash: string }>("select token_hash from auth.one_time_tokens where email = $1", [email]);
    expect(rows[0]?.token_hash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(rows[0]?.token_hash).not.toContain(token);
  });

  it("ignores a redirect_to that is not allowed and lands on the site URL instead, as GoTrue", async () => {
    const email = newEmail("evil");
    await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo: "https://evil.example.com/steal" });
    const link = new URL((await newestMailTo(email)).links[0]?.url ?? "");
    expect(link.searchParams.get("redirect_to")).toBe("http://127.0.0.1:3000");
    const followed = await followVerifyLink(link.toString());
    expect(followed.location.startsWith("http://127.0.0.1:3000#")).toBe(true);
  });

  it("refuses invites without the service role, and without an email", async () => {
    const anon = await anonClient().auth.admin.inviteUserByEmail(newEmail("nope"));
    expect(anon.error?.status).toBe(403);
    expect(anon.error?.code).toBe("not_admin");
    const missing = await serviceClient().auth.admin.inviteUserByEmail("");
    expect(missing.error?.status).toBe(400);
    expect(missing.error?.code).toBe("validation_failed");
    expect(missing.error?.message).toBe("An email address is required");
  });

  it("answers /verify without a type or token with a 400, and an unknown type with an error redirect", async () => {
    const base = `${stackInfo().url}/auth/v1/verify`;
    const noType = await fetch(`${base}?token=abc`, { headers: { apikey: stackInfo().anonKey }, redirect: "manual" });
    expect(noType.status).toBe(400);
    expect(noType.headers.get("x-sb-error-code")).toBe("validation_failed");
    const badType = await followVerifyLink(`${base}?token=abc&type=sms&redirect_to=${encodeURIComponent(WEB)}`);
    expect(badType.fragment.get("error")).toBe("invalid_request");
    expect(badType.fragment.get("error_code")).toBe("validation_failed");
  });
});
