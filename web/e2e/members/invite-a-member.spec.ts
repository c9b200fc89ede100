import crypto from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import type { TAdminClient } from "../testing/admin-client.ts";
import type { TE2eEnv } from "../testing/env.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, OPERATOR } from "../testing/test-data.ts";

/** The role a user holds in a project (null: not a member). */
async function roleOf(admin: TAdminClient, projectId: string, userId: string): Promise<string | null> {
  const row = await admin.from("project_members").select("role").eq("project_id", projectId).eq("user_id", userId).maybeSingle();
  return row.data?.role ?? null;
}

/** The account id of an address, once GoTrue has one. */
async function userIdOf(admin: TAdminClient, email: string): Promise<string | null> {
  const { data } = await admin.auth.admin.listUsers({ perPage: 1000 });
  return data.users.find((user) => user.email === email)?.id ?? null;
}

/** A second browser (its own storage): the invitee, never signed in as the owner. */
async function inviteeBrowser(browser: Browser, env: TE2eEnv): Promise<Page> {
  const context = await browser.newContext({ baseURL: env.E2E_BASE_URL, viewport: { width: 1360, height: 820 }, colorScheme: "dark" });
  return await context.newPage();
}

/** Fails when the page scrolls sideways at its width or axe finds a serious violation, then saves the screenshot. */
async function fitsAndShoot(page: Page, shot: (name: string) => Promise<void>, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} is wider than the window`).toBeLessThanOrEqual(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `${name} has serious accessibility violations`,
  ).toEqual([]);
  await shot(name);
}

test.describe("Settings → Members: invitations", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("an owner invites a new address as operator; the mail's link sets a password and lands in the project as operator", async ({
    page,
    browser,
    admin,
    env,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "members-invite" });
    const email = `invitee-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await signIn();
    await page.goto(`/p/${project.slug}/settings`);
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Members" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${project.slug}/settings/members$`));
    await expect(page.getByTestId("member-row").filter({ hasText: OPERATOR.email })).toBeVisible();

    // The form says what is wrong before anything is sent.
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByRole("textbox", { name: "Email" }).fill("not-an-address");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect(form.getByText('Email "not-an-address" is not an email address: write it as name@example.com.')).toBeVisible();
    await form.getByRole("textbox", { name: "Email" }).fill(OPERATOR.email);
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect(form.getByText(`${OPERATOR.email} is already a member`)).toBeVisible();

    await form.getByRole("textbox", { name: "Email" }).fill(email);
    await form.getByRole("combobox", { name: "Role" }).selectOption("operator");
    await form.getByRole("button", { name: "Send invitation" }).click();
    const invite = page.getByTestId("invite-row").filter({ hasText: email });
    // Live: the executor mails it and the row turns from queued to sent without a reload.
    await expect(invite.getByTestId("invite-status-badge")).toHaveText("sent", { timeout: 30_000 });
    await expect(invite).toContainText("as operator");
    await fitsAndShoot(page, shot, "members-owner-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    await fitsAndShoot(page, shot, "members-owner-390");
    await page.setViewportSize({ width: 1360, height: 820 });

    // The invitee opens the newest mail to the address in the local mailbox and follows its link.
    const invitee = await inviteeBrowser(browser, env);
    await invitee.goto(`${env.E2E_SUPABASE_URL}/mailbox?to=${encodeURIComponent(email)}`);
    await invitee.locator("article").first().getByRole("link", { name: "You have been invited" }).click();
    const mailLink = await invitee.getByRole("link", { name: "Accept the invite" }).getAttribute("href");
    await invitee.getByRole("link", { name: "Accept the invite" }).click();
    await expect(invitee.getByRole("heading", { name: "Choose a password" })).toBeVisible();
    // The link's tokens are out of the address bar (and the history) at once.
    await expect(invitee).toHaveURL(/\/auth\/accept$/);
    await expect(invitee.getByText(email)).toBeVisible();
    await fitsAndShoot(invitee, shot, "accept-set-password-1440");
    await invitee.setViewportSize({ width: 390, height: 844 });
    await fitsAndShoot(invitee, shot, "accept-set-password-390");

    await invitee.getByLabel("New password").fill("short");
    await invitee.getByLabel("Repeat the password").fill("short");
    await invitee.getByRole("button", { name: "Save password and join" }).click();
    await expect(invitee.getByRole("alert").filter({ hasText: "Choose a password" })).toHaveText(
      "Choose a password of at least 8 characters.",
    );
    const password = `pw-${crypto.randomUUID()}`;
    await invitee.getByLabel("New password").fill(password);
    await invitee.getByLabel("Repeat the password").fill(password);
    await invitee.getByRole("button", { name: "Save password and join" }).click();
    await expect(invitee).toHaveURL(new RegExp(`/p/${project.slug}/overview$`), { timeout: 20_000 });

    // Joined as operator: the database says so, the Members page says so, and operator things are open to them.
    const inviteeId = await userIdOf(admin, email);
    expect(inviteeId).not.toBeNull();
    await expect.poll(() => roleOf(admin, project.id, inviteeId ?? "")).toBe("operator");
    await invitee.goto(`/p/${project.slug}/settings/members`);
    const self = invitee.getByTestId("member-row").filter({ hasText: email });
    await expect(self.getByTestId("member-role")).toHaveText("operator");
    await expect(invitee.getByRole("form", { name: "Invite a member" })).toHaveCount(0);
    await expect(invitee.getByRole("button", { name: "Leave project" })).toBeEnabled();
    await invitee.goto(`/p/${project.slug}/settings/runs`);
    await expect(invitee.getByRole("button", { name: "Save run settings" })).toBeEnabled();

    // The owner sees the invitation accepted, live; the chosen password signs in.
    await expect(invite.getByTestId("invite-status-badge")).toHaveText("accepted");
    const signedIn = await admin.auth.signInWithPassword({ email, password });
    expect(signedIn.error).toBeNull();
    await admin.auth.signOut();

    // The link was used: opened again, it says so and what to do.
    const again = await inviteeBrowser(browser, env);
    await again.goto(mailLink ?? "about:blank");
    await expect(again.getByRole("alert").filter({ hasText: "expired or was already used" })).toContainText(
      "This invitation link has expired or was already used",
    );
    await expect(again.getByRole("link", { name: "Sign in" })).toBeVisible();
  });
});
