import { agentReplies, dmPane } from "../testing/chat-helpers.ts";
import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";

test.describe("doc references", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("# offers the docs, a picked doc goes with the DM and the agent's reply names it; the banner renders the mission's markdown", async ({
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "doc-refs", labs: { dms: true } });
    const docs = await admin
      .from("brain_docs")
      .insert([
        { project_id: project.id, doc_type: "runbook", title: "Deploy runbook", content: "Deploy with `make ship` after the tests pass." },
        { project_id: project.id, agent_key: "lead", doc_type: "memory", title: "Lead memory", content: "The cache key is v2." },
      ])
      .select("id, doc_type");
    expect(docs.error).toBeNull();
    const runbookId = docs.data?.find((d) => d.doc_type === "runbook")?.id;
    const mission = await admin
      .from("brain_docs")
      .update({ content: "# Ship the **control room**\n\nEvery agent reads [the runbook](https://example.com) first." })
      .eq("project_id", project.id)
      .eq("doc_type", "mission")
      .is("agent_key", null);
    expect(mission.error).toBeNull();

    await signIn();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/p/${project.slug}/dms`);

    // The banner shows the mission rendered: no raw markdown.
    const banner = page.getByTestId("mission-text");
    await expect(banner.locator("strong", { hasText: "control room" })).toBeVisible();
    await expect(banner).toContainText("Ship the control room");
    await expect(banner).not.toContainText("#");
    await expect(banner).not.toContainText("**");

    const pane = dmPane(page, "Lead");
    const box = pane.getByRole("textbox");
    await box.click();
    await box.pressSequentially("Ship it following #");
    const list = pane.getByRole("listbox", { name: "Reference a doc" });
    await expect(list.getByRole("option")).toHaveText([/#lead\/memory/, /#mission/, /#runbook/]);
    await expect(list.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
    await shot("doc-refs-suggestions-1440");

    // Narrowing, keyboard choice and Escape.
    await box.pressSequentially("ru");
    await expect(list.getByRole("option")).toHaveText([/#runbook.*Deploy runbook/]);
    await box.press("Escape");
    await expect(list).toBeHidden();
    await box.pressSequentially("n");
    await expect(list.getByRole("option", { name: /#runbook/ })).toHaveAttribute("aria-selected", "true");
    await expect(box).toHaveAttribute("aria-activedescendant", /.+/);
    await box.press("Enter");
    await expect(list).toBeHidden();
    await expect(box).toHaveValue("Ship it following #runbook ");

    // The chips show what resolves before sending; an unknown name stays plain text.
    await box.pressSequentially("and #nothing");
    const chips = pane.getByTestId("doc-ref-chips");
    await expect(chips.getByTestId("doc-ref-chip")).toHaveText(["#runbookDeploy runbook"]);
    await expect(chips.getByTestId("doc-ref-chip")).toHaveAttribute("href", `/p/${project.slug}/knowledge?doc=${runbookId}`);
    await box.press("Enter");
    await expect(box).toHaveValue("");

    // The agent (built-in offline model) read the doc, and says so.
    await expect(agentReplies(pane).filter({ hasText: "I read #runbook (Deploy runbook)." })).toHaveCount(1, { timeout: 20_000 });
    const sent = await admin
      .from("project_chat_messages")
      .select("metadata")
      .eq("project_id", project.id)
      .eq("content", "Ship it following #runbook and #nothing")
      .single();
    expect(sent.data?.metadata).toMatchObject({ doc_refs: [{ id: runbookId, ref: "runbook", title: "Deploy runbook" }] });

    // At a phone width the suggestions fit the window.
    await page.setViewportSize({ width: 390, height: 844 });
    await box.click();
    await box.pressSequentially("#");
    await expect(list.getByRole("option")).toHaveCount(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("doc-refs-suggestions-390");
  });

  test("a task comment picks a doc with the keyboard and shows it as a link to Knowledge", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "doc-refs-task" });
    const doc = await admin
      .from("brain_docs")
      .insert({ project_id: project.id, doc_type: "runbook", title: "Deploy runbook", content: "Deploy with `make ship`." })
      .select("id")
      .single();
    expect(doc.error).toBeNull();
    const taskId = await insertTask(admin, project.id, { title: "Ship the release" });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);

    const reply = page.getByRole("textbox", { name: "Reply to the thread" });
    await reply.click();
    await reply.pressSequentially("Use #");
    const list = page.getByRole("listbox", { name: "Reference a doc" });
    await expect(list.getByRole("option")).toHaveText([/#mission/, /#runbook/]);
    await reply.press("ArrowDown");
    await expect(list.getByRole("option", { name: /#runbook/ })).toHaveAttribute("aria-selected", "true");
    await reply.press("Tab");
    await expect(reply).toHaveValue("Use #runbook ");
    await expect(page.getByTestId("doc-ref-chip")).toHaveText(["#runbookDeploy runbook"]);
    await reply.press("Enter");
    await expect(reply).toHaveValue("");

    const comment = page.getByTestId("task-thread").getByTestId("thread-item").filter({ hasText: "Use #runbook" });
    const chip = comment.getByTestId("doc-ref-chip");
    await expect(chip).toHaveText("#runbookDeploy runbook");
    await chip.click();
    await expect(page).toHaveURL(new RegExp(`/knowledge\\?doc=${doc.data?.id}$`));
    await expect(page.getByTestId("knowledge-doc")).toContainText("Deploy with make ship.");
  });
});
