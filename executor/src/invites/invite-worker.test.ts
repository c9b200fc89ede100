import crypto from "node:crypto";
import { serviceClient, sqlPool, stackInfo } from "@mission-control/supabase/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TExecutor } from "../runtime/start-executor.ts";
import { createTestProject, holdExecutorLock, startTestExecutor, type TTestProject, waitFor } from "../testing/stack-fixtures.ts";
import type { TClaimedInvite } from "./claim-project-invites.ts";
import { createInviteWorker } from "./create-invite-worker.ts";
import type { TInviteOutcome } from "./finish-project-invite.ts";

let project: TTestProject;
/** A second project, mailed only by the fake-sender worker of the failure tests. */
let quiet: TTestProject;
let executor: TExecutor;
let sql: pg.Pool;
let releaseLock: () => Promise<void>;

const WEB_ORIGIN = "http://127.0.0.1:3999";

beforeAll(async () => {
  releaseLock = await holdExecutorLock();
  sql = sqlPool();
  [project, quiet] = await Promise.all([createTestProject("invites", []), createTestProject("invites-quiet", [])]);
  // This executor mails the invites of `project` only (RUN_PROJECT_IDS scopes the invite worker).
  executor = await startTestExecutor({ RUN_PROJECT_IDS: project.projectId, WEB_ORIGIN });
});

afterAll(async () => {
  await executor?.stop();
  await project?.remove();
  await quiet?.remove();
  await sql?.end();
  await releaseLock?.();
});

const address = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;

type TInviteRow = { id: string; status: string; attempts: number; error: string | null; sent_at: string | null; available_at: Date };

async function readInvite(id: string): Promise<TInviteRow | undefined> {
  const { rows } = await sql.query<TInviteRow>(
    "select id, status, attempts, error, sent_at, available_at from public.project_invites where id = $1",
    [id],
  );
  return rows[0];
}

async function invite(p: TTestProject, email: string, role = "operator"): Promise<string> {
  const { data, error } = await p.owner.client.rpc("invite_project_member", { p_project_id: p.projectId, p_email: email, p_role: role });
  if (error) throw new Error(`invite failed: ${error.message}`);
  return (data as { id: string }).id;
}

type TMail = { to: string; subject: string; links: Array<{ label: string; url: string }> };

/** The local stack's mailbox (GET /mailbox/api/messages?to=), newest first. */
async function mailsTo(email: string): Promise<TMail[]> {
  const response = await fetch(`${stackInfo().url}/mailbox/api/messages?to=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  return ((await response.json()) as { messages: TMail[] }).messages;
}

describe("the invite worker", () => {
  it("mails a new address an invite whose link joins the project", async () => {
    const email = address("newcomer");
    const id = await invite(project, email, "operator");
    await waitFor("the invite to be sent", async () => (await readInvite(id))?.status === "sent", 15_000);
    expect(await readInvite(id)).toMatchObject({ attempts: 1, error: null });

    const [mail] = await waitFor("a mail in the local mailbox", async () => {
      const mails = await mailsTo(email);
      return mails.length > 0 ? mails : undefined;
    });
    expect(mail?.to.toLowerCase()).toBe(email);
    const link = mail?.links.find((l) => l.url.includes("/verify"))?.url;
    expect(link).toBeTruthy();
    expect(decodeURIComponent(link ?? "")).toContain(`${WEB_ORIGIN}/auth/accept`);

    // Following the link confirms the address, which accepts the invite.
    const followed = await fetch(link ?? "", { redirect: "manual" });
    expect(followed.status).toBeGreaterThanOrEqual(300);
    expect(followed.status).toBeLessThan(400);
    expect(followed.headers.get("location") ?? "").toMatch(new RegExp(`^${WEB_ORIGIN}/auth/accept`));
    const member = await waitFor("the membership", async () => {
      const { rows } = await sql.query<{ role: string }>(
        `select m.role from public.project_members m join auth.users u on u.id = m.user_id
         where m.project_id = $1 and lower(u.email) = $2`,
        [project.projectId, email],
      );
      return rows[0];
    });
    expect(member).toEqual({ role: "operator" });
    expect((await readInvite(id))?.status).toBe("accepted");
  });

  it("mails an address that already has an account a magic link instead", async () => {
    const email = address("existing");
    const created = await serviceClient().auth.admin.createUser({ email, password: `pw-${crypto.randomUUID()}`, email_confirm: true });
    expect(created.error).toBeNull();
    try {
      const id = await invite(project, email, "viewer");
      await waitFor("the invite to be sent", async () => (await readInvite(id))?.status === "sent", 15_000);
      const mails = await waitFor("a mail in the local mailbox", async () => {
        const found = await mailsTo(email);
        return found.length > 0 ? found : undefined;
      });
      expect(mails).toHaveLength(1);
      expect(decodeURIComponent(mails[0]?.links.map((l) => l.url).join(" ") ?? "")).toContain(`${WEB_ORIGIN}/auth/accept`);
      // Not a member until the link signs them in and they accept.
      const { rows } = await sql.query("select 1 from public.project_members where project_id = $1 and user_id = $2", [
        project.projectId,
        created.data.user?.id,
      ]);
      expect(rows).toEqual([]);
    } finally {
      if (created.data.user) await serviceClient().auth.admin.deleteUser(created.data.user.id);
    }
  });

  it("keeps a failed attempt queued with its error and a back-off, then sends it", async () => {
    const outcomes: TInviteOutcome[] = [
      { status: "failed", error: "The auth server is rate-limiting mails (slow down)", retry: true },
      { status: "sent", via: "invite" },
    ];
    const seen: TClaimedInvite[] = [];
    const worker = createInviteWorker({
      db: quiet.db,
      executorId: `fake-mailer-${crypto.randomUUID().slice(0, 6)}`,
      pollIntervalMs: 50,
      projectIds: [quiet.projectId],
      send: async (claimed) => {
        seen.push(claimed);
        return outcomes.shift() ?? { status: "failed", error: "unexpected extra attempt", retry: false };
      },
      log: pino({ level: "silent" }),
    });
    worker.start();
    try {
      const email = address("flaky");
      const id = await invite(quiet, email, "viewer");
      const afterFirst = await waitFor("the first attempt", async () => {
        const row = await readInvite(id);
        return row?.attempts === 1 && row.error ? row : undefined;
      });
      expect(afterFirst).toMatchObject({ status: "queued", error: "The auth server is rate-limiting mails (slow down)" });
      expect(afterFirst.available_at.getTime()).toBeGreaterThan(Date.now() + 5_000);
      expect(seen[0]).toMatchObject({ id, email, role: "viewer", attempts: 1, project_id: quiet.projectId });
      expect(seen[0]?.project_slug).toMatch(/^invites-quiet-/);

      // Due now instead of in 15 s: the next poll sends it.
      await sql.query("update public.project_invites set available_at = now() where id = $1", [id]);
      await waitFor("the second attempt", async () => (await readInvite(id))?.status === "sent");
      expect(await readInvite(id)).toMatchObject({ attempts: 2, error: null });
      expect(seen).toHaveLength(2);
    } finally {
      await worker.stop({ timeoutMs: 5_000 });
    }
  });

  it("fails an invite at once when the address is refused, and after the fifth failed attempt", async () => {
    const worker = createInviteWorker({
      db: quiet.db,
      executorId: `fake-mailer-${crypto.randomUUID().slice(0, 6)}`,
      pollIntervalMs: 50,
      projectIds: [quiet.projectId],
      send: async (claimed) =>
        claimed.email.startsWith("refused-")
          ? { status: "failed", error: "The auth server refused to mail this address (HTTP 400: bad address)", retry: false }
          : { status: "failed", error: "The auth server could not be reached", retry: true },
      log: pino({ level: "silent" }),
    });
    worker.start();
    try {
      const refused = await invite(quiet, address("refused"));
      await waitFor("the refused invite to fail", async () => (await readInvite(refused))?.status === "failed");
      expect(await readInvite(refused)).toMatchObject({ attempts: 1, error: expect.stringMatching(/check the address|bad address/) });

      const flaky = await invite(quiet, address("unreachable"));
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        // The attempt is recorded (no longer claimed) before it is made due again, or its back-off would overwrite that.
        await waitFor(`attempt ${attempt}`, async () => {
          const { rows } = await sql.query<{ attempts: number; claimed_by: string | null; status: string }>(
            "select attempts, claimed_by, status from public.project_invites where id = $1",
            [flaky],
          );
          const row = rows[0];
          return row !== undefined && row.attempts >= attempt && (row.claimed_by === null || row.status === "failed");
        });
        await sql.query("update public.project_invites set available_at = now() where id = $1 and status = 'queued'", [flaky]);
      }
      await waitFor("the invite to fail after five attempts", async () => (await readInvite(flaky))?.status === "failed");
      expect(await readInvite(flaky)).toMatchObject({ attempts: 5, error: "The auth server could not be reached" });
      const { rows } = await sql.query(
        "select kind from public.activities where project_id = $1 and ref ->> 'invite_id' = $2 order by id",
        [quiet.projectId, flaky],
      );
      expect(rows.map((r) => r.kind)).toEqual(["member.invited", "member.invite_failed"]);
    } finally {
      await worker.stop({ timeoutMs: 5_000 });
    }
  });

  it("does not mail an invite revoked before it was claimed", async () => {
    const id = await invite(quiet, address("revoked"));
    const { error } = await quiet.owner.client.rpc("revoke_project_invite", { p_invite_id: id });
    expect(error).toBeNull();
    const { data, error: claimError } = await quiet.db.rpc("claim_project_invites", {
      p_executor_id: "probe",
      p_limit: 100,
      p_project_ids: [quiet.projectId],
    });
    expect(claimError).toBeNull();
    expect((data ?? []).map((row) => row.id)).not.toContain(id);
  });
});
