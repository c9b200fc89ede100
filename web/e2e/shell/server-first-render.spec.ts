import type { BrowserContext, Page } from "@playwright/test";
import { CLOCK_COOKIE, SESSION_COOKIE } from "../../src/features/auth/session-cookie.ts";
import { expect, test } from "../testing/fixtures.ts";
import { signInThroughApi } from "../testing/sign-in-through-api.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject, createUser } from "../testing/test-data.ts";

/** React's hydration errors (development wording and the production build's error numbers). */
const HYDRATION_ERROR = /hydrat|did not match|#418|#423|#425/i;

/** Every console error and uncaught exception of the page. */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** The HTML the server answers `path` with, sent with the context's cookies (no script runs). */
async function serverHtml(context: BrowserContext, path: string): Promise<string> {
  const response = await context.request.get(path);
  expect(response.status(), `GET ${path}`).toBe(200);
  return response.text();
}

async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((c) => c.name).sort();
}

test.describe("the server renders a project page with its rows", () => {
  test("a signed-in reader's page arrives with its rows, dated in their clock, and the browser takes it over cleanly", async ({
    browser,
    admin,
    env,
  }) => {
    const user = await createUser(admin, "first-render");
    const project = await createTestProject(admin, { label: "first-render", members: [{ userId: user.userId, role: "operator" }] });
    await insertTask(admin, project.id, { title: "Rendered by the server" });
    const activity = await admin
      .from("activities")
      .insert({ project_id: project.id, actor_type: "system", actor: "system", kind: "test.note", summary: "Noted before the page loaded" })
      .select("created_at")
      .single();
    if (activity.error) throw new Error(activity.error.message);
    // A reader far from the server's zone, in another language: dates must read the same before and after hydration.
    const context = await browser.newContext({ baseURL: env.E2E_BASE_URL, locale: "de-DE", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const errors = recordErrors(page);
    await signInThroughApi(page, env, user);

    // First visit: no cookie yet, so the browser reads and renders the rows; it mirrors the session.
    expect(await serverHtml(context, `/p/${project.slug}/tasks`)).not.toContain("Rendered by the server");
    await page.goto(`/p/${project.slug}/tasks`);
    await expect(page.getByTestId("task-card").filter({ hasText: "Rendered by the server" })).toBeVisible();
    expect(await cookieNames(context)).toEqual([CLOCK_COOKIE, SESSION_COOKIE].sort());
    const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(session?.sameSite).toBe("Lax");
    expect(session?.expires, "the cookie lives as long as the access token, not for the browser session").toBeGreaterThan(
      Date.now() / 1000,
    );

    // From then on the server's first response holds the rows, as this user reads them.
    expect(await serverHtml(context, `/p/${project.slug}/tasks`)).toContain("Rendered by the server");
    const feedHtml = await serverHtml(context, `/p/${project.slug}/activity`);
    expect(feedHtml).toContain("Noted before the page loaded");
    const inTokyo = new Intl.DateTimeFormat("de-DE", {
      timeZone: "Asia/Tokyo",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(activity.data.created_at));
    expect(feedHtml, "the entry's time, in the reader's language and zone").toContain(inTokyo);

    // Before the scripts run, the rows are on screen and the controls wait (inert): a click then would be lost.
    const still = await context.newPage();
    await still.route(/\/_next\/static\/.*\.js(\?.*)?$/, (route) => route.abort());
    await still.goto(`/p/${project.slug}/tasks`);
    await expect(still.getByTestId("task-card").filter({ hasText: "Rendered by the server" })).toBeVisible();
    await expect(still.locator("[inert]")).toHaveCount(1);
    await still.close();

    // The browser takes the server's page over without a hydration error, on every page with rows.
    for (const path of ["tasks", "activity", "overview", "agents", "runs"]) {
      await page.goto(`/p/${project.slug}/${path}`);
      await expect(page.locator("main")).toBeVisible();
      await page.waitForLoadState("networkidle");
    }
    await page.goto(`/p/${project.slug}/activity`);
    await expect(page.getByTestId("activity-item").filter({ hasText: "Noted before the page loaded" })).toBeVisible();
    await expect(page.locator("[inert]")).toHaveCount(0);
    expect(errors.filter((e) => HYDRATION_ERROR.test(e))).toEqual([]);

    // The table opens on the rows the server read with the board.
    await page.goto(`/p/${project.slug}/tasks`);
    await page.getByRole("button", { name: "Table", exact: true }).click();
    await expect(page.getByTestId("task-row").filter({ hasText: "Rendered by the server" })).toBeVisible();

    // Signing out deletes the cookie: the next page is rendered for nobody.
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect.poll(() => cookieNames(context)).toEqual([CLOCK_COOKIE]);
    expect(await serverHtml(context, `/p/${project.slug}/tasks`)).not.toContain("Rendered by the server");
    await context.close();
  });

  test("a cookie that is not a member's, or not a token, renders no rows and no error", async ({ browser, admin, env }) => {
    const outsider = await createUser(admin, "first-render-outsider");
    const project = await createTestProject(admin, { label: "first-render-private" });
    await insertTask(admin, project.id, { title: "Only for members" });
    const context = await browser.newContext({ baseURL: env.E2E_BASE_URL });
    const page = await context.newPage();
    await signInThroughApi(page, env, outsider);
    await page.goto("/");
    await expect.poll(() => cookieNames(context)).toEqual([CLOCK_COOKIE, SESSION_COOKIE].sort());

    // RLS decides on the server as in the browser: an outsider's token reads nothing of the project.
    expect(await serverHtml(context, `/p/${project.slug}/tasks`)).not.toContain("Only for members");

    const origin = new URL(env.E2E_BASE_URL);
    for (const value of ["not-a-token", "a.b.c", `x.${Buffer.from('{"sub":"me","exp":99999999999}').toString("base64url")}.forged`]) {
      await context.clearCookies();
      await context.addCookies([
        { name: SESSION_COOKIE, value, domain: origin.hostname, path: "/" },
        { name: CLOCK_COOKIE, value: encodeURIComponent("en-US|UTC"), domain: origin.hostname, path: "/" },
      ]);
      expect(await serverHtml(context, `/p/${project.slug}/tasks`), `session cookie ${value}`).not.toContain("Only for members");
    }
    await context.close();
  });
});
