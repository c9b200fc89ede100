import crypto from "node:crypto";
import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("tab titles and the favicon", () => {
  test("every page has its own title, and nothing asks for a favicon that is not there", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "titles", labs: { team_room: true, dms: true } });
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404 && /\/(favicon\.ico|icon[^/]*)$/.test(new URL(response.url()).pathname)) missing.push(response.url());
    });

    await page.goto("/sign-in");
    await expect(page).toHaveTitle("Sign in · Mission Control");

    await signIn();
    const at = `${project.slug} · Mission Control`;
    const pages: [string, string][] = [
      ["activity", `Activity · ${at}`],
      ["tasks", `Tasks · ${at}`],
      [`tasks/${crypto.randomUUID()}`, `Task · ${at}`],
      ["approvals", `Approvals · ${at}`],
      ["team-room", `Team Room · ${at}`],
      ["dms", `DMs · ${at}`],
      ["agents", `Agents · ${at}`],
      ["agents/lead", `lead · Agents · ${at}`],
      ["runs", `Runs · ${at}`],
      [`runs/${crypto.randomUUID()}`, `Run · ${at}`],
      ["knowledge", `Knowledge · ${at}`],
      ["skills", `Skills · ${at}`],
      ["schedule", `Schedule · ${at}`],
      ["usage", `Usage · ${at}`],
      ["settings", `Settings · ${at}`],
      ["settings/providers", `Providers · Settings · ${at}`],
      ["settings/agent-defaults", `Agent defaults · Settings · ${at}`],
      ["settings/runs", `Runs · Settings · ${at}`],
    ];
    for (const [path, title] of pages) {
      await page.goto(`/p/${project.slug}/${path}`);
      await expect(page, `/p/${project.slug}/${path}`).toHaveTitle(title);
    }
    // Moving inside the app (no full load) changes the title too.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Tasks" }).click();
    await expect(page).toHaveTitle(`Tasks · ${at}`);

    // The icon the pages link to is served, and so is /favicon.ico for clients that ask for it directly.
    const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(icon).toBeTruthy();
    const iconAnswer = await page.request.get(icon ?? "");
    expect(iconAnswer.status()).toBe(200);
    expect(iconAnswer.headers()["content-type"]).toMatch(/^image\//);
    const favicon = await page.request.get("/favicon.ico");
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toMatch(/^image\//);
    expect(missing).toEqual([]);
  });
});
