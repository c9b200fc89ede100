import { agentReplies, operatorMessage, sendFrom } from "../testing/chat-helpers.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("routing in the Team Room", () => {
  // One Playwright worker shares the executor and earlier specs may have started it: this runs in
  // Backup, so the deliveries stay queued where the test can see them.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("shows why a message went to an agent, and re-routing it queues a delivery to the agent the operator picks", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "reroute", labs: { team_room: true } });
    await admin
      .from("agents")
      .update({ capabilities: ["react", "css"] })
      .eq("project_id", project.id)
      .eq("agent_key", "web");
    await signIn();
    await page.goto(`/p/${project.slug}/team-room`);
    const room = page.getByRole("region", { name: "Team Room" });

    await sendFrom(room, "The board needs some css work");
    const sent = operatorMessage(room, "The board needs some css work");
    await expect(sent.getByTestId("routing-line")).toContainText("Routed to @web: css");
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-agent", "web");
    await expect(sent.getByTestId("delivery-state")).toHaveAttribute("data-status", "queued");

    await sent.getByRole("button", { name: "Re-route" }).click();
    const picker = sent.getByRole("form", { name: "Re-route the message" });
    await expect(picker.getByRole("combobox", { name: "Re-route to" })).toBeFocused();
    await picker.getByRole("combobox", { name: "Re-route to" }).selectOption("lead");
    await shot("team-room-reroute-picker");
    await picker.getByRole("button", { name: "Re-route" }).click();

    await expect(sent.getByTestId("routing-line")).toContainText("Re-routed to @lead by you · was routed to @web: css");
    await expect(sent.locator('[data-testid="delivery-state"][data-agent="lead"]')).toHaveAttribute("data-status", "queued");
    await expect(sent.locator('[data-testid="delivery-state"][data-agent="web"]')).toHaveAttribute("data-status", "rerouted");
    await expect(sent.locator('[data-testid="delivery-state"][data-agent="web"]')).not.toContainText("Retry");
    await shot("team-room-rerouted");

    const message = await admin
      .from("project_chat_messages")
      .select("id, target_agent_keys, metadata")
      .eq("project_id", project.id)
      .eq("content", "The board needs some css work")
      .single();
    expect(message.data?.target_agent_keys).toEqual(["web", "lead"]);
    expect(message.data?.metadata).toMatchObject({ routed_reason: "routed to @web: css", rerouted: { from: "web", to: "lead" } });
    const deliveries = await admin
      .from("chat_delivery_queue")
      .select("agent_key, status, error")
      .eq("message_id", message.data?.id ?? "")
      .order("agent_key");
    expect(deliveries.data).toEqual([
      { agent_key: "lead", status: "queued", error: null },
      { agent_key: "web", status: "failed", error: "Re-routed to @lead before @web started on it" },
    ]);
  });
  test("in Live mode the agent the message is re-routed to answers it", async ({ page, admin, signIn, executor }) => {
    await executor.start();
    const project = await createTestProject(admin, { label: "reroute-live", labs: { team_room: true } });
    await signIn();
    await page.goto(`/p/${project.slug}/team-room`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
    const room = page.getByRole("region", { name: "Team Room" });

    await sendFrom(room, "Good morning, anyone around?");
    const sent = operatorMessage(room, "Good morning, anyone around?");
    await expect(sent.getByTestId("routing-line")).toContainText("No capability matched: the lead answers");
    // The lead answers at once; the operator wants Web's answer too.
    await expect(sent.locator('[data-testid="delivery-state"][data-agent="lead"]')).toHaveAttribute("data-status", "processed", {
      timeout: 20_000,
    });
    await sent.getByRole("button", { name: "Re-route" }).click();
    await sent.getByRole("combobox", { name: "Re-route to" }).selectOption("web");
    await sent.getByRole("button", { name: "Re-route" }).click();

    await expect(sent.locator('[data-testid="delivery-state"][data-agent="web"]')).toHaveAttribute("data-status", "processed", {
      timeout: 20_000,
    });
    await expect(agentReplies(room).filter({ has: page.locator('[data-agent="web"]') })).toContainText("[offline model]");
    // The lead's answer stays: it had answered before the re-route.
    await expect(sent.locator('[data-testid="delivery-state"][data-agent="lead"]')).toHaveAttribute("data-status", "processed");
  });
});
