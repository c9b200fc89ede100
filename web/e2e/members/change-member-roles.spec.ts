import type { Browser, Page } from "@playwright/test";
import type { TAdminClient } from "../testing/admin-client.ts";
import type { TE2eEnv } from "../testing/env.ts";
import { expect, test } from "../testing/fixtures.ts";
import { signInThroughApi } from "../testing/sign-in-through-api.ts";
import { createTestProject, createUser, OPERATOR } from "../testing/test-data.ts";

/** The role a user holds in a project (null: not a member). */
async function roleOf(admin: TAdminClient, projectId: string, userId: string): Promise<string | null> {
  const row = await admin.from("project_members").select("role").eq("project_id", projectId).eq("user_id", userId).maybeSingle();
  return row.data?.role ?? null;
}

/** A second browser signed in as another account. */
async function browserAs(browser: Browser, env: TE2eEnv, account: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: env.E2E_BASE_URL, viewport: { width: 1360, height: 820 }, colorScheme: "dark" });
  const page = await context.newPage();
  await signInThroughApi(page, env, account);
  return page;
}

test.describe("Settings → Members: roles", () => {
  test("an owner changes a member's role; the last owner can neither be demoted nor leave; a member leaves", async ({
    page,
    browser,
    admin,
    env,
    signIn,
  }) => {
    const member = await createUser(admin, "members-role");
    const project = await createTestProject(admin, {
      label: "members-roles",
      members: [
        { userId: OPERATOR.userId, role: "owner" },
        { userId: member.userId, role: "operator" },
      ],
    });
    await signIn();
    await page.goto(`/p/${project.slug}/settings/members`);
    const status = page.getByTestId("members-status");

    // Operator → viewer: said in words, stored, and the member's own page turns read-only.
    await page.getByRole("combobox", { name: `Role of ${member.email}` }).selectOption("viewer");
    await expect(status).toHaveText(`${member.email} is now a viewer.`);
    await expect.poll(() => roleOf(admin, project.id, member.userId)).toBe("viewer");
    const memberPage = await browserAs(browser, env, member);
    await memberPage.goto(`/p/${project.slug}/settings/members`);
    await expect(memberPage.getByTestId("member-row").filter({ hasText: member.email }).getByTestId("member-role")).toHaveText("viewer");
    await expect(memberPage.getByText("You are a viewer in this project: settings are read-only.")).toBeVisible();
    await expect(memberPage.getByRole("list", { name: "Members" }).getByRole("combobox")).toHaveCount(0);
    await expect(memberPage.getByRole("form", { name: "Invite a member" })).toHaveCount(0);

    // The only owner: Leave is disabled with the reason; demoting them is refused in the database's words.
    await expect(page.getByRole("button", { name: "Leave project" })).toBeDisabled();
    await expect(
      page.getByText("You are the only owner: make another member owner first (change their role below), then leave."),
    ).toBeVisible();
    const ownRole = page.getByRole("combobox", { name: `Role of ${OPERATOR.email}` });
    await ownRole.selectOption("operator");
    await expect(status).toContainText(`Could not make ${OPERATOR.email} operator: ${OPERATOR.email} is the last owner`);
    await expect(status).toContainText("make another member an owner first");
    await expect(ownRole).toHaveValue("owner");
    expect(await roleOf(admin, project.id, OPERATOR.userId)).toBe("owner");

    // The viewer leaves (a DELETE event carries only the key of a membership, so the owner's list shows it on the next read).
    await memberPage.getByRole("button", { name: "Leave project" }).click();
    await memberPage.getByRole("button", { name: "Leave", exact: true }).click();
    await expect(memberPage).not.toHaveURL(new RegExp(`/p/${project.slug}/`));
    await expect.poll(() => roleOf(admin, project.id, member.userId)).toBeNull();
    await page.reload();
    await expect(page.getByTestId("member-row").filter({ hasText: OPERATOR.email })).toBeVisible();
    await expect(page.getByTestId("member-row").filter({ hasText: member.email })).toHaveCount(0);
  });
});
