import { expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("Agents roster", () => {
  test("shows an agent's status, current action and context use as the executor writes them", async ({ page, admin, signIn, shot }) => {
    const project = await createTestProject(admin, { label: "roster" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    const lead = page.locator('[data-testid="agent-row"][data-agent="lead"]');
    await expect(lead.getByTestId("agent-status")).toHaveText("offline");

    const updated = await admin
      .from("agent_status")
      .update({
        status: "working",
        current_action: "Reviewing the delivery migration",
        last_seen_at: new Date().toISOString(),
        context_usage: {
          system_prompt: 500,
          mission: 100,
          docs: 0,
          history: 5000,
          tools: 0,
          new_message: 400,
          total: 6000,
          max_context_tokens: 8000,
        },
        last_model: "builtin-offline",
      })
      .eq("agent_id", project.agents.lead ?? "");
    expect(updated.error).toBeNull();

    await expect(lead.getByTestId("agent-status")).toHaveText("working");
    await expect(lead).toContainText("Reviewing the delivery migration");
    await expect(lead).toContainText("75%");
    await expect(lead).toContainText(/\d+ s ago/);
    await shot("agents-live-status");
  });

  test("moves between agents with the arrow keys", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "roster-keys" });
    await signIn();
    await page.goto(`/p/${project.slug}/agents`);
    const rows = page.getByTestId("agent-row");
    await expect(rows).toHaveCount(2);
    await rows.first().focus();
    await page.keyboard.press("ArrowDown");
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press("Home");
    await expect(rows.first()).toBeFocused();
  });
});
