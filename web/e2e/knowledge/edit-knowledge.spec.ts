import { expect, test } from "../testing/fixtures.ts";
import { signInThroughApi } from "../testing/sign-in-through-api.ts";
import { approvalCard, insertTask, proposeAction } from "../testing/task-helpers.ts";
import { createTestProject, createUser, OPERATOR } from "../testing/test-data.ts";

test.describe("Knowledge", () => {
  test("edits the mission: the banner changes live in another browser, a stale save shows both texts, the history shows each diff", async ({
    page,
    browser,
    admin,
    env,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "knowledge" });
    const missionRow = () =>
      admin
        .from("brain_docs")
        .select("content, version")
        .eq("project_id", project.id)
        .eq("doc_type", "mission")
        .is("agent_key", null)
        .single();

    // A second browser watches the banner on another page.
    const otherContext = await browser.newContext();
    const watcher = await otherContext.newPage();
    await signInThroughApi(watcher, env, OPERATOR);
    await watcher.goto(`/p/${project.slug}/activity`);
    await expect(watcher.getByTestId("mission-text")).toHaveText("Prove knowledge end to end.");

    await signIn();
    await page.goto(`/p/${project.slug}/activity`);
    await page.getByRole("region", { name: "Mission" }).getByRole("link", { name: "Edit the mission" }).click();
    await expect(page).toHaveURL(/\/knowledge\?doc=mission$/);
    const doc = page.getByTestId("knowledge-doc");
    await expect(doc.getByTestId("doc-version-number")).toContainText("version 1");
    await expect(page.getByRole("navigation", { name: "Docs" }).getByRole("link", { name: /mission/ })).toHaveAttribute(
      "aria-current",
      "page",
    );

    const content = doc.getByRole("textbox", { name: "Content" });
    await content.fill("Prove knowledge end to end, **keeping** every version.");
    await doc.getByRole("tab", { name: "Preview" }).click();
    await expect(doc.locator("strong", { hasText: "keeping" })).toBeVisible();
    await doc.getByRole("tab", { name: "Write" }).click();
    await doc.getByRole("button", { name: "Save", exact: true }).click();
    await expect(doc.getByText("Saved as version 2.")).toBeVisible();
    // The banner renders the markdown: bold text, no raw asterisks.
    await expect(watcher.getByTestId("mission-text")).toHaveText("Prove knowledge end to end, keeping every version.");
    await expect(watcher.getByTestId("mission-text").locator("strong", { hasText: "keeping" })).toBeVisible();
    await shot("knowledge-mission-saved");

    // Someone else saves version 3 while this editor still works from version 2.
    await content.fill("Prove knowledge end to end, with my edit.");
    const changed = await admin
      .from("brain_docs")
      .update({ content: "Changed by someone else meanwhile." })
      .eq("project_id", project.id)
      .eq("doc_type", "mission")
      .is("agent_key", null);
    expect(changed.error).toBeNull();
    await doc.getByRole("button", { name: "Save", exact: true }).click();
    const conflict = doc.getByTestId("doc-conflict");
    await expect(conflict.getByRole("alert")).toContainText("version 3 is current, yours was based on 2");
    await expect(conflict.getByTestId("doc-diff")).toContainText("Changed by someone else meanwhile.");
    await expect(conflict.getByTestId("doc-diff")).toContainText("with my edit.");
    await shot("knowledge-stale-save-conflict");
    expect((await missionRow()).data).toEqual({ content: "Changed by someone else meanwhile.", version: 3 });

    // Overwrite knowingly: the save is now based on version 3.
    await conflict.getByRole("button", { name: "Save mine over version 3" }).click();
    await expect(doc.getByText("Saved as version 4.")).toBeVisible();
    await expect(conflict).toHaveCount(0);
    await expect(watcher.getByTestId("mission-text")).toHaveText("Prove knowledge end to end, with my edit.");
    expect((await missionRow()).data).toEqual({ content: "Prove knowledge end to end, with my edit.", version: 4 });

    await doc.getByRole("button", { name: "History" }).click();
    const versions = doc.getByTestId("doc-version");
    await expect(versions).toHaveText([/v4\s*You/, /v3\s*System/, /v2\s*You/, /v1\s*System/]);
    await versions.filter({ hasText: "v2" }).click();
    const diff = doc.getByTestId("doc-diff");
    await expect(diff).toContainText("Version 1");
    await expect(diff).toContainText("Version 2 — You");
    await expect(diff).toContainText("Prove knowledge end to end.");
    await expect(diff).toContainText("keeping");
    await shot("knowledge-history-diff");
    await otherContext.close();
  });

  test("shows a viewer the docs read-only, without an Edit link on the banner", async ({ page, admin, signIn, shot }) => {
    const viewer = await createUser(admin, "knowledge-viewer");
    const project = await createTestProject(admin, {
      label: "knowledge-viewer",
      members: [
        { userId: OPERATOR.userId, role: "owner" },
        { userId: viewer.userId, role: "viewer" },
      ],
    });
    await signIn(viewer);
    await page.goto(`/p/${project.slug}/knowledge`);
    const doc = page.getByTestId("knowledge-doc");
    await expect(doc.getByRole("heading", { name: "Mission" })).toBeVisible();
    await expect(doc).toContainText("Prove knowledge-viewer end to end.");
    await expect(doc.getByRole("textbox")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New doc" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Mission" })).toContainText("Prove knowledge-viewer end to end.");
    await expect(page.getByRole("link", { name: "Edit the mission" })).toHaveCount(0);
    await shot("knowledge-viewer");
  });

  test("an agent's edit_doc shows as a diff against the current version; approving it appends a version by the agent", async ({
    page,
    admin,
    executor,
    signIn,
    shot,
  }) => {
    await executor.start();
    const project = await createTestProject(admin, { label: "knowledge-edit-doc" });
    const taskId = await insertTask(admin, project.id, { title: "Sharpen the mission", status: "in_progress", assignee_agent_key: "lead" });
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "edit_doc",
      params: { doc_type: "mission", agent_key: null, content: "Prove knowledge-edit-doc end to end, reviewed by a human." },
      proposed_by_agent_key: "lead",
      summary: "Sharpen the mission",
      task_id: taskId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const card = approvalCard(page, proposalId);
    const diff = card.getByTestId("edit-doc-diff");
    await expect(diff).toContainText("Current: version 1");
    await expect(diff).toContainText("Prove knowledge-edit-doc end to end.");
    await expect(diff).toContainText("reviewed by a human");
    await shot("knowledge-edit-doc-card");

    await card.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(card).toHaveAttribute("data-status", "executed", { timeout: 20_000 });
    await expect(diff).toContainText("Written as version 2");
    await expect(page.getByTestId("mission-text")).toHaveText("Prove knowledge-edit-doc end to end, reviewed by a human.");

    await diff.getByRole("link", { name: "Open it in Knowledge" }).click();
    const doc = page.getByTestId("knowledge-doc");
    await doc.getByRole("button", { name: "History" }).click();
    await expect(doc.getByTestId("doc-version")).toHaveText([/v2\s*Lead/, /v1\s*System/]);
  });
});
