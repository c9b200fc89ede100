import path from "node:path";
import { createSupabaseClient } from "@mission-control/shared/db";
import { expect, test } from "../testing/fixtures.ts";
import { signInThroughApi } from "../testing/sign-in-through-api.ts";
import { approvalCard, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, createUser } from "../testing/test-data.ts";
import { totpCode } from "../testing/totp-code.ts";

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

async function expectNoSidewaysScroll(page: import("@playwright/test").Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} is wider than the window`).toBeLessThanOrEqual(0);
}

test.describe("step-up approvals with a TOTP second factor", () => {
  test("an owner turns step-up on, sets up an authenticator, and approves a high-risk action with a code; at aal1 it is refused", async ({
    page,
    browser,
    admin,
    env,
    shot,
  }) => {
    // A user of its own: verifying a factor ends the user's other password-only sessions.
    const owner = await createUser(admin, "mfa-owner");
    const project = await createTestProject(admin, { label: "mfa", members: [{ userId: owner.userId, role: "owner" }] });
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: `mfa-${project.id.slice(0, 8)}.md`, content: "# Release plan\n" },
      proposed_by_agent_key: "lead",
      summary: "Overwrite the release plan",
      risk: "high",
    });

    await signInThroughApi(page, env, owner);
    await page.setViewportSize(WIDTHS[0]);
    await page.goto(`/p/${project.slug}/settings/security`);
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
    await expect(page.getByTestId("session-level")).toContainText("password only");

    // Owners turn step-up on; the database holds the setting.
    const stepUp = page.getByRole("switch", { name: "Approving high-risk actions requires a second factor" });
    await expect(stepUp).toHaveAttribute("aria-checked", "false");
    await stepUp.click();
    await expect(stepUp).toHaveAttribute("aria-checked", "true");
    await expect
      .poll(
        async () =>
          (await admin.from("project_settings").select("value").eq("project_id", project.id).eq("key", "approvals")).data?.[0]?.value,
      )
      .toEqual({ require_second_factor_for_high_risk: true });

    // Set up the authenticator: the QR code and the key are shown; the test is the app.
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectNoSidewaysScroll(page, "the security page at 1440 px");
    await shot("mfa-security-enroll-1440");
    await page.setViewportSize(WIDTHS[1]);
    await expectNoSidewaysScroll(page, "the security page at 390 px");
    await shot("mfa-security-enroll-390");
    await page.setViewportSize(WIDTHS[0]);

    await page.getByRole("textbox", { name: "Code from your authenticator app" }).fill("000000");
    await page.getByRole("button", { name: "Verify and turn on" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /not right|already used/ })).toBeVisible();
    await page.getByRole("textbox", { name: "Code from your authenticator app" }).fill(totpCode(secret));
    await page.getByRole("button", { name: "Verify and turn on" }).click();
    await expect(page.getByTestId("session-level")).toContainText("verified with a second factor");
    await expect(page.getByRole("button", { name: "Remove" })).toBeVisible();
    await shot("mfa-security-enrolled-1440");

    // A new password-only (aal1) session of the same owner: the database refuses the approval ...
    const aal1 = createSupabaseClient(env.E2E_SUPABASE_URL, env.E2E_SUPABASE_ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    await aal1.auth.signInWithPassword(owner);
    const refused = await aal1.rpc("resolve_action_proposal", { p_proposal_id: proposalId, p_decision: "approve" });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toContain("verify your second factor to approve high-risk actions");
    expect((await readProposal(admin, proposalId)).status).toBe("proposed");

    // ... and in the dashboard Approve asks for the code first.
    for (const size of WIDTHS) {
      const context = await browser.newContext({ viewport: size });
      const other = await context.newPage();
      await signInThroughApi(other, env, owner);
      await other.goto(`/p/${project.slug}/approvals`);
      const card = approvalCard(other, proposalId);
      await card.getByRole("button", { name: "Approve", exact: true }).click();
      const prompt = card.getByRole("group", { name: "Second factor for this approval" });
      await expect(prompt.getByRole("textbox", { name: "6-digit code" })).toBeFocused();
      expect((await readProposal(admin, proposalId)).status).toBe("proposed");
      await expectNoSidewaysScroll(other, `the code prompt at ${size.width} px`);
      await other.screenshot({
        path: path.join(test.info().config.rootDir, "..", "test-results", "screenshots", `mfa-code-prompt-${size.width}.png`),
      });
      if (size.width === 390) {
        // The code of the next 30 s step: the one of this step was used when setting up (each is taken once).
        await prompt.getByRole("textbox", { name: "6-digit code" }).fill(totpCode(secret, Date.now() + 30_000));
        await prompt.getByRole("button", { name: "Verify and approve" }).click();
        // Approved by this owner (and run, if an executor of this worker is up): it leaves Waiting
        // and the History tab shows it decided.
        await expect.poll(async () => (await readProposal(admin, proposalId)).status).not.toBe("proposed");
        expect((await readProposal(admin, proposalId)).resolved_by).toBe(owner.userId);
        await expect(other.getByText("Nothing is waiting for a decision.")).toBeVisible();
        await other.getByRole("tab", { name: "History" }).click();
        await expect(approvalCard(other, proposalId)).toHaveAttribute("data-status", /approved|executing|executed/);
      } else {
        await prompt.getByRole("button", { name: "Cancel" }).click();
        await expect(card.getByText("Not approved: a high-risk approval needs the code")).toBeVisible();
      }
      await context.close();
    }
  });
});
