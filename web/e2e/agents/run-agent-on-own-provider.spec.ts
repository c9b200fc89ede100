import type { Page } from "@playwright/test";
import { agentReplies, dmPane, operatorMessage, sendFrom, waitForDelivery } from "../testing/chat-helpers.ts";
import { badge, expect, test } from "../testing/fixtures.ts";
import { startFakeOpenAiProvider, type TFakeOpenAiProvider } from "../testing/start-fake-openai-provider.ts";
import { createTestProject } from "../testing/test-data.ts";

const API_KEY = "sk-e2e-fake-key-7781";

/** Opens the DMs page with the agent's conversation shown (its button toggles, so click only when it is closed). */
async function openDm(page: Page, slug: string, agentKey: string): Promise<void> {
  await page.goto(`/p/${slug}/dms`);
  const button = page.locator(`[data-testid="dm-agent"][data-agent="${agentKey}"]`);
  await expect(button).toBeEnabled();
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await expect(button).toHaveAttribute("aria-pressed", "true");
}

test.describe("agents on the operator's own provider", () => {
  let provider: TFakeOpenAiProvider;

  test.beforeEach(async ({ executor }) => {
    await executor.start();
    provider = await startFakeOpenAiProvider({ apiKey: API_KEY, models: ["fake-gpt"] });
  });

  test.afterEach(async () => {
    await provider.close();
  });

  test("creates an agent on a new connection, tests it, talks to it, edits its prompt and hits a budget", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    test.setTimeout(120_000);
    const project = await createTestProject(admin, { label: "own-provider", labs: { dms: true } });
    await signIn();

    // Settings → Providers: add the fake OpenAI-compatible server, store its key, test it.
    await page.goto(`/p/${project.slug}/settings/providers`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");
    await page.getByRole("button", { name: "Add connection" }).click();
    const form = page.getByRole("form");
    await form.getByLabel("Name").fill("Fake OpenAI");
    await form.getByLabel("Base URL").fill(provider.baseUrl);
    await form.getByLabel("Default model").fill("fake-gpt");
    await form.getByRole("button", { name: "Save connection" }).click();
    const card = page.getByRole("article", { name: /Fake OpenAI/ });
    await expect(card).toBeVisible();
    await card.getByLabel("API key").fill(API_KEY);
    await card.getByRole("button", { name: "Set key" }).click();
    await expect(card).toContainText("••••7781");
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByTestId("provider-test-result")).toContainText("OK");
    await expect(card.getByTestId("provider-test-result")).toContainText("fake-gpt");
    // The browser only ever sees the last four characters; the database holds ciphertext, not the key.
    const secret = await admin.from("provider_connection_secrets").select("ciphertext");
    expect(JSON.stringify(secret.data)).not.toContain(API_KEY);
    await shot("providers-tested");

    // Agents → New agent on that connection.
    await page.goto(`/p/${project.slug}/agents`);
    await page.getByRole("button", { name: "New agent" }).click();
    await page.getByLabel("Key", { exact: true }).fill("reviewer");
    await page.getByLabel("Display name").fill("Reviewer");
    await page.getByLabel("Provider", { exact: true }).selectOption({ label: "Fake OpenAI (OpenAI-compatible)" });
    await page.getByLabel("Model", { exact: true }).fill("fake-gpt");
    await page.getByLabel("System prompt").fill("You review changes. Sign off as ALPHA.");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByRole("link", { name: "Reviewer" })).toBeVisible();

    // A DM gets the fake provider's answer, written with the prompt above.
    await openDm(page, project.slug, "reviewer");
    const pane = dmPane(page, "Reviewer");
    await sendFrom(pane, "Please look at the first change");
    await expect(agentReplies(pane).first()).toContainText("Fake model reply, signed ALPHA");
    await expect(agentReplies(pane).first().getByTestId("reply-meta")).toContainText("fake-gpt");

    // Editing the prompt changes the next reply, with no executor restart.
    await page.goto(`/p/${project.slug}/agents/reviewer`);
    const prompt = page.getByLabel("System prompt");
    await prompt.fill("You review changes. Sign off as BRAVO.");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect
      .poll(
        async () =>
          (await admin.from("agents").select("system_prompt").eq("project_id", project.id).eq("agent_key", "reviewer").single()).data
            ?.system_prompt,
      )
      .toContain("BRAVO");
    await openDm(page, project.slug, "reviewer");
    await sendFrom(dmPane(page, "Reviewer"), "And the second change?");
    await expect(agentReplies(dmPane(page, "Reviewer")).filter({ hasText: "signed BRAVO" })).toHaveCount(1);
    expect(provider.requests().every((request) => request.model === "fake-gpt")).toBe(true);

    // A tiny budget: the next message fails with "budget exceeded" and no provider request is made.
    await page.goto(`/p/${project.slug}/usage`);
    await page.getByRole("button", { name: "Add budget" }).click();
    const budgetForm = page.getByRole("form");
    await budgetForm.getByLabel("Period").selectOption("day");
    await budgetForm.getByLabel("Unit").selectOption("tokens");
    await budgetForm.getByLabel("Hard limit").fill("10");
    await budgetForm.getByRole("button", { name: "Save budget" }).click();
    await expect(page.locator("#budgets")).toContainText("10 tokens");
    const before = provider.requests().length;

    await openDm(page, project.slug, "reviewer");
    const third = dmPane(page, "Reviewer");
    await sendFrom(third, "One more, over budget");
    const state = operatorMessage(third, "One more, over budget").getByTestId("delivery-state");
    await expect(state).toHaveAttribute("data-status", "failed");
    await expect(state).toContainText(/budget exceeded/i);
    expect(provider.requests().length).toBe(before);
    await shot("dm-budget-exceeded");

    // Raise the budget, press Retry: the reply comes.
    await page.goto(`/p/${project.slug}/usage`);
    await page.locator("#budgets").getByRole("button", { name: "Edit" }).first().click();
    await page.getByRole("form").getByLabel("Hard limit").fill("1000000");
    await page.getByRole("form").getByRole("button", { name: "Save budget" }).click();
    await expect(page.locator("#budgets")).toContainText("1,000,000 tokens");
    await openDm(page, project.slug, "reviewer");
    const retried = dmPane(page, "Reviewer");
    await operatorMessage(retried, "One more, over budget").getByTestId("delivery-state").getByRole("button", { name: "Retry" }).click();
    await expect(operatorMessage(retried, "One more, over budget").getByTestId("delivery-state")).toHaveAttribute(
      "data-status",
      "processed",
    );
    await expect(agentReplies(retried).filter({ hasText: "signed BRAVO" })).toHaveCount(2);
    const delivery = await waitForDelivery(admin, project.id, "One more, over budget", ["processed"]);
    const calls = await admin.from("provider_calls").select("outcome, model").eq("delivery_id", delivery.id).order("created_at");
    expect(calls.data?.map((call) => call.outcome)).toEqual(["budget_exceeded", "ok"]);
  });
});
