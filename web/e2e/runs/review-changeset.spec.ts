import type { Page } from "@playwright/test";
import { expect, test } from "../testing/fixtures.ts";
import { insertTask } from "../testing/task-helpers.ts";
import { createTestProject } from "../testing/test-data.ts";
import { proposeTestChangeset } from "./propose-test-changeset.ts";

// The executor stays down in these specs (Backup): every review action is written to the
// database first, and what it wrote is what they check. Its changesets come from the executor's
// own RPCs, called with the service role as a fake executor.

const FILES = [
  { path: "notes/a.md", before: "alpha\nbeta\ngamma\n", after: "alpha\nbeta, reviewed\ngamma\n", rationale: "Reword beta." },
  { path: "notes/b.md", before: null, after: "a new note\n", rationale: "Add a note." },
  { path: "notes/c.md", before: "stale\n", after: null, rationale: "Remove the stale note." },
];

/** The file row of a changeset review. */
function fileRow(page: Page, path: string) {
  return page.locator(`[data-testid="changeset-file"][data-path="${path}"]`);
}

test.describe("reviewing a changeset", () => {
  // Earlier specs may have left the executor running (one worker shares it): these run in Backup.
  test.beforeEach(async ({ executor }) => {
    await executor.stop();
  });

  test("approves two files of three: the approval is bound to the checked paths", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "cs-approve" });
    const taskId = await insertTask(admin, project.id, { title: "Tidy the notes" });
    const { runId, proposalId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId,
      goal: "Tidy the notes",
      summary: "Tidy the notes folder",
      files: FILES,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/runs/${runId}`);
    const review = page.getByTestId("changeset-review");
    await expect(review).toHaveAttribute("data-status", "proposed");
    await expect(page.getByTestId("changeset-file")).toHaveCount(3);
    await expect(fileRow(page, "notes/a.md").getByTestId("changeset-diff")).toContainText("beta, reviewed");
    await expect(page.getByTestId("run-timeline")).toContainText("Proposed a changeset of 3 files");

    await fileRow(page, "notes/c.md").getByRole("checkbox", { name: "Approve notes/c.md" }).uncheck();
    await review.getByRole("button", { name: "Approve 2 of 3 files" }).click();
    await expect(review.getByTestId("approve-selected")).toHaveCount(0);

    const proposal = await admin.from("action_proposals").select("status, params").eq("id", proposalId).single();
    expect(proposal.data).toMatchObject({ status: "approved", params: { paths: ["notes/a.md", "notes/b.md"] } });
  });

  test("requests revisions with a comment on a line: a revision run is queued", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "cs-revise" });
    const { runId, changesetId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId: null,
      goal: "Tidy the notes",
      summary: "Tidy the notes folder",
      files: FILES,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/runs/${runId}`);
    const review = page.getByTestId("changeset-review");
    // A click on the proposed file's line number points the comment at that line.
    await fileRow(page, "notes/a.md")
      .locator('td[class*="gutter"]')
      .filter({ hasText: /^\s*2\s*$/ })
      .last()
      .click();
    await expect(review.getByRole("combobox", { name: "Comment on" })).toHaveValue("notes/a.md");
    await expect(review.getByRole("spinbutton", { name: "Line" })).toHaveValue("2");
    await review.getByRole("textbox", { name: "Review comment" }).fill("Say what was reviewed.");
    await review.getByRole("button", { name: "Add to revision request" }).click();
    await review.getByTestId("request-revisions").click();
    await expect(review).toHaveAttribute("data-status", "revision_requested");

    const reviews = await admin.from("changeset_reviews").select("kind, path, line, comment").eq("changeset_id", changesetId);
    expect(reviews.data).toEqual([{ kind: "revise", path: "notes/a.md", line: 2, comment: "Say what was reviewed." }]);
    const next = await admin.from("ai_runs").select("origin, status, iteration").eq("parent_run_id", runId).single();
    expect(next.data).toMatchObject({ origin: "revision", status: "queued", iteration: 2 });
    await expect(page.getByRole("link", { name: /implement run \(revision requested, queued\)/ })).toBeVisible();
  });

  test("a plain comment is listed with its line and resolves nothing", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "cs-comment" });
    const taskId = await insertTask(admin, project.id, { title: "Tidy the notes" });
    const { changesetId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId,
      goal: "Tidy the notes",
      summary: "Tidy the notes folder",
      files: FILES,
    });
    await signIn();
    // The review is the apply_changeset card of the task thread.
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const review = page.getByTestId("changeset-review");
    await expect(review).toBeVisible();
    await review.getByRole("combobox", { name: "Comment on" }).selectOption("notes/b.md");
    await review.getByRole("spinbutton", { name: "Line" }).fill("1");
    await review.getByRole("combobox", { name: "Comment kind" }).selectOption("question");
    await review.getByRole("textbox", { name: "Review comment" }).fill("Why a new file?");
    await review.getByRole("button", { name: "Post comment only" }).click();
    await expect(fileRow(page, "notes/b.md").getByTestId("changeset-review-comment")).toContainText("notes/b.md:1");
    await expect(fileRow(page, "notes/b.md").getByTestId("changeset-review-comment")).toContainText("Why a new file?");
    const changeset = await admin.from("changesets").select("status").eq("id", changesetId).single();
    expect(changeset.data?.status).toBe("proposed");
  });

  test("rolls back an applied changeset after a confirmation", async ({ page, admin, signIn }) => {
    const project = await createTestProject(admin, { label: "cs-rollback" });
    const { runId, changesetId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId: null,
      goal: "Tidy the notes",
      summary: "Tidy the notes folder",
      files: FILES,
    });
    // As the executor records an apply of two files.
    const applied = await admin
      .from("changesets")
      .update({ status: "applied", applied_paths: ["notes/a.md", "notes/b.md"], applied_at: new Date().toISOString() } as never)
      .eq("id", changesetId);
    expect(applied.error).toBeNull();
    await signIn();
    await page.goto(`/p/${project.slug}/runs/${runId}`);
    const review = page.getByTestId("changeset-review");
    await expect(review).toHaveAttribute("data-status", "applied");
    await expect(fileRow(page, "notes/a.md").getByTestId("file-outcome")).toHaveText("applied");
    await expect(fileRow(page, "notes/c.md").getByTestId("file-outcome")).toHaveText("not applied");

    await review.getByTestId("rollback").click();
    await expect(review).toContainText("Restore the previous content of 2 files?");
    await review.getByTestId("confirm-rollback").click();
    await expect(review.getByTestId("rollback-requested")).toBeVisible();
    const changeset = await admin.from("changesets").select("rollback_requested_at").eq("id", changesetId).single();
    expect(changeset.data?.rollback_requested_at).not.toBeNull();
  });
});
