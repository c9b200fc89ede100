import type { BrowserContext, Page } from "@playwright/test";
import { AUTH_STORAGE_KEY } from "../../src/features/auth/get-browser-client.ts";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject, createUser } from "../testing/test-data.ts";

/** Every URL the context requests (documents, scripts, fetches, redirects), to look for the password in. */
function recordUrls(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on("request", (request) => {
    urls.push(request.url());
    const from = request.redirectedFrom();
    if (from) urls.push(from.url());
  });
  return urls;
}

/** The password in any form a URL could carry it. */
function leaks(urls: string[], password: string): string[] {
  const forms = [password, encodeURIComponent(password), new URLSearchParams({ p: password }).toString().slice(2)];
  return urls.filter((url) => forms.some((form) => url.includes(form) || decodeURIComponent(url).includes(form)));
}

/** The same dashboard under the other name of this machine. */
function atLocalhost(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.hostname = "localhost";
  return url.origin;
}

/** Blocks the dashboard's scripts, so the page stays as the server rendered it (not hydrated). */
async function blockScripts(page: Page): Promise<void> {
  await page.route(/\/_next\/static\/.*\.js(\?.*)?$/, (route) => route.abort());
}

test.describe("sign-in never puts the password in a URL", () => {
  test("signs in at localhost and at 127.0.0.1", async ({ browser, admin, env }) => {
    const user = await createUser(admin, "origins");
    const project = await createTestProject(admin, { label: "origins", members: [{ userId: user.userId, role: "operator" }] });
    for (const origin of [env.E2E_BASE_URL, atLocalhost(env.E2E_BASE_URL)]) {
      const context = await browser.newContext();
      const urls = recordUrls(context);
      const page = await context.newPage();
      await page.goto(`${origin}/sign-in?next=/p/${project.slug}/agents`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page, `signing in at ${origin}`).toHaveURL(`${origin}/p/${project.slug}/agents`);
      await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
      await expect(page.getByTestId("agent-row")).toHaveCount(2);
      expect(leaks(urls, user.password), `requests at ${origin} carrying the password`).toEqual([]);
      await context.close();
    }
  });

  test("a form submitted before the scripts run is posted, and the sign-in finishes once they run", async ({ browser, admin, env }) => {
    const user = await createUser(admin, "prehydration");
    const project = await createTestProject(admin, { label: "prehydration", members: [{ userId: user.userId, role: "operator" }] });
    const context = await browser.newContext({ baseURL: env.E2E_BASE_URL });
    const urls = recordUrls(context);
    const posts: { url: string; body: string }[] = [];
    context.on("request", (request) => {
      if (request.method() === "POST") posts.push({ url: request.url(), body: request.postData() ?? "" });
    });
    const page = await context.newPage();
    await blockScripts(page);
    await page.goto(`/sign-in?next=/p/${project.slug}/agents`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    // The browser's own submission: a POST with the password in the body, answered by a redirect without it.
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?handoff=1&next=%2Fp%2F${project.slug}%2Fagents$`));
    expect(posts.filter((p) => p.url.endsWith("/sign-in/password"))).toHaveLength(1);
    expect(posts[0]?.body).toContain(encodeURIComponent(user.password));
    expect(leaks(urls, user.password)).toEqual([]);

    // Once the scripts run, the page takes the session the server made and goes on.
    await page.unrouteAll();
    await page.reload();
    await expect(page).toHaveURL(`${env.E2E_BASE_URL}/p/${project.slug}/agents`);
    await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
    const stored = await page.evaluate((key) => window.localStorage.getItem(key), AUTH_STORAGE_KEY);
    expect(JSON.parse(stored ?? "{}").user?.email).toBe(user.email);
    // The hand-off is used once: the session route has nothing more to give.
    expect((await page.request.post("/sign-in/session")).status()).toBe(404);
    expect(leaks(urls, user.password)).toEqual([]);
    await context.close();
  });

  test("a wrong password posted before the scripts run comes back with the reason, not the password", async ({
    browser,
    admin,
    env,
    page,
    shot,
  }) => {
    const user = await createUser(admin, "prehydration-wrong");
    const context = await browser.newContext({ baseURL: env.E2E_BASE_URL });
    const urls = recordUrls(context);
    const early = await context.newPage();
    await blockScripts(early);
    await early.goto("/sign-in");
    await early.getByLabel("Email").fill(user.email);
    await early.getByLabel("Password").fill(`${user.password}-wrong`);
    await early.getByRole("button", { name: "Sign in" }).click();
    await expect(early).toHaveURL(/\/sign-in\?error=unauthorized$/);
    await expect(early.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
    expect(leaks(urls, `${user.password}-wrong`)).toEqual([]);
    await context.close();

    // The same page at both widths, as an operator with a slow connection sees it.
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await page.goto("/sign-in?error=unauthorized");
      await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(`sign-in-error-${size.width}`);
    }
  });

  test("the sign-in routes refuse what they should", async ({ request, env }) => {
    const foreign = await request.post("/sign-in/password", {
      headers: { origin: "https://evil.example" },
      form: { email: "operator@example.com", password: "x" },
      maxRedirects: 0,
    });
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain("open the dashboard at");

    const json = await request.post("/sign-in/password", { data: { email: "a@b.c", password: "x" }, maxRedirects: 0 });
    expect(json.status()).toBe(415);

    const empty = await request.post("/sign-in/password", {
      headers: { origin: env.E2E_BASE_URL },
      form: { next: "//evil.example" },
      maxRedirects: 0,
    });
    expect(empty.status()).toBe(303);
    expect(empty.headers().location).toBe("/sign-in?error=invalid_input");

    const nothing = await request.post("/sign-in/session");
    expect(nothing.status()).toBe(404);
    expect((await nothing.json()).error.message).toContain("sign in again");
  });
});
