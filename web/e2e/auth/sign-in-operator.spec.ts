import { badge, expect, test } from "../testing/fixtures.ts";
import { OPERATOR } from "../testing/test-data.ts";

test.describe("sign-in", () => {
  test("sends a signed-out visitor to the sign-in page, remembering where they were going", async ({ page }) => {
    await page.goto("/p/demo/agents");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fp%2Fdemo%2Fagents$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("signs in with email and password, keeps the session across a reload, and signs out", async ({ page, shot }) => {
    await page.goto("/sign-in?next=/p/demo/agents");
    await page.getByLabel("Email").fill(OPERATOR.email);
    await page.getByLabel("Password").fill(OPERATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page).toHaveURL(/\/p\/demo\/agents$/);
    await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Mission" })).toContainText("Ship Mission Control");
    await expect(page.getByTestId("agent-row")).toHaveCount(4);
    await expect(badge(page)).toHaveAttribute("data-mode", /live|backup/);
    await shot("agents-roster");

    await page.reload();
    await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
    await expect(page.getByText(OPERATOR.email)).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/p/demo/activity");
    await expect(page).toHaveURL(/\/sign-in\?next=/);
  });

  test("says what to do after a wrong password", async ({ page, shot }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(OPERATOR.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in$/);
    await shot("sign-in-error");
  });

  test("sends a signed-in operator from / to the first project's Overview page", async ({ page, signIn }) => {
    await signIn();
    await page.goto("/");
    await expect(page).toHaveURL(/\/p\/[a-z0-9-]+\/overview$/);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  });
});
