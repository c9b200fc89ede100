import { controlRealtime } from "../testing/control-realtime.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

/**
 * The badge follows reality within seconds both ways, not at the next 30 s poll: the executor's
 * presence stream, the realtime channel's state and the roster each make it look again, and a
 * degraded badge looks every 2 s. The issue asks for 2 s; the bound here is a loose 5 s so a busy
 * CI machine does not fail it, and each transition's time is printed.
 */
const FOLLOW_MS = 5_000;

test.describe("connection badge follows reality", () => {
  test("goes Backup when the executor is killed or stopped, and Live when it is back, agreeing with the roster", async ({
    page,
    admin,
    signIn,
    executor,
    shot,
  }) => {
    // Three executor starts and two stops: each start compiles and boots a process.
    test.setTimeout(180_000);
    await executor.start();
    const project = await createTestProject(admin, { label: "follow-exec" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    const lead = page.locator('[data-testid="agent-row"][data-agent="lead"]');

    // A graceful stop first: the roster then says offline too (a killed executor cannot say so).
    let since = Date.now();
    await executor.stop();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "stopped -> Backup", description: `${Date.now() - since} ms` });
    await expect(lead.getByTestId("agent-status")).toHaveText("offline");
    await shot("badge-backup-roster-offline");

    await executor.start();
    since = Date.now();
    await expect(badge(page)).toHaveAttribute("data-mode", "live", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "back -> Live", description: `${Date.now() - since} ms` });
    await expect(lead.getByTestId("agent-status")).not.toHaveText("offline");

    since = Date.now();
    await executor.kill();
    await expect(badge(page)).toHaveAttribute("data-mode", "backup", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "killed -> Backup", description: `${Date.now() - since} ms` });

    await executor.start();
    since = Date.now();
    await expect(badge(page)).toHaveAttribute("data-mode", "live", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "back after kill -> Live", description: `${Date.now() - since} ms` });
  });

  test("goes Offline when Supabase cannot be reached and Live when it can, without waiting for the poll", async ({
    page,
    admin,
    signIn,
    executor,
    env,
  }) => {
    await executor.start();
    const project = await createTestProject(admin, { label: "follow-stack" });
    const realtime = await controlRealtime(page);
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
    await expect(badge(page)).toHaveAttribute("data-realtime", "subscribed");

    // The stack goes away as the browser sees it: every Supabase request fails and the socket drops.
    const supabase = new URL(env.E2E_SUPABASE_URL);
    const toSupabase = (url: URL) => url.host === supabase.host;
    await page.route(toSupabase, (route) => route.abort("connectionrefused"));
    let since = Date.now();
    await realtime.drop();
    await expect(badge(page)).toHaveAttribute("data-mode", "offline", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "stack gone -> Offline", description: `${Date.now() - since} ms` });
    await expect(badge(page)).toHaveAccessibleName(/Supabase is unreachable/);

    await page.unroute(toSupabase);
    since = Date.now();
    realtime.restore();
    await expect(badge(page)).toHaveAttribute("data-mode", "live", { timeout: FOLLOW_MS });
    test.info().annotations.push({ type: "stack back -> Live", description: `${Date.now() - since} ms` });
  });

  test("never says Live while the database does not answer, even when the gateway and the executor do", async ({
    page,
    admin,
    signIn,
    executor,
  }) => {
    await executor.start();
    const project = await createTestProject(admin, { label: "follow-db" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    // The dashboard's database probe is a one-row read of projects; the gateway answers it 503 as when Postgres is down.
    const probe = (url: URL) => url.pathname.endsWith("/rest/v1/projects") && url.searchParams.get("select") === "id";
    await page.route(probe, (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ code: "PGRST000", message: "down" }) }),
    );
    await badge(page).click();
    await expect(badge(page)).toHaveAttribute("data-mode", "offline");
    await expect(badge(page)).toHaveAccessibleName(/its database does not/);

    await page.unroute(probe);
    await expect(badge(page)).toHaveAttribute("data-mode", "live", { timeout: FOLLOW_MS });
  });
});
