import fs from "node:fs";
import path from "node:path";
import { badge, expect, test } from "../testing/fixtures.ts";
import { approvalCard, insertTask, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, OPERATOR } from "../testing/test-data.ts";

test.describe("approving a file_write", () => {
  test.beforeEach(async ({ executor }) => {
    await executor.start();
  });

  test("an agent's file_write shows as a diff in the task thread; approving it writes the file once and the thread shows executed", async ({
    page,
    admin,
    signIn,
    shot,
    workspaceDir,
  }) => {
    const project = await createTestProject(admin, { label: "approve-file" });
    const taskId = await insertTask(admin, project.id, {
      title: "Document the approval flow",
      status: "in_progress",
      assignee_agent_key: "web",
      description: "Write docs/approvals.md for operators.",
    });
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: `docs/approvals-${project.id.slice(0, 8)}.md`, content: "# Approvals\n\nEvery risky action waits for a human.\n" },
      proposed_by_agent_key: "web",
      summary: "Write docs/approvals.md",
      risk: "low",
      blast_radius: "One new file in the workspace",
      rollback_plan: "Delete docs/approvals.md",
      task_id: taskId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    await expect(badge(page)).toHaveAttribute("data-mode", "live");

    const card = approvalCard(page, proposalId);
    await expect(card).toHaveAttribute("data-status", "proposed");
    const file = `docs/approvals-${project.id.slice(0, 8)}.md`;
    await expect(card.getByTestId("diff-path")).toHaveText(file);
    await expect(card.getByTestId("file-write-diff")).toContainText("Every risky action waits for a human.");
    await expect(card.getByTestId("file-write-diff")).toHaveAttribute("data-previous", "unknown");
    await expect(card).toContainText("proposed just now");
    await expect(card).toContainText(/expires in (23|24) h/);
    await expect(card).toContainText("Delete docs/approvals.md");
    await expect(card).toContainText("One new file in the workspace");
    await shot("task-thread-file-write-diff");

    await card.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(card.getByTestId("approval-outcome")).toContainText("Approved by you");
    await expect(card.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
    // Live: the Control API took it at once, so no "runs later" notice.
    await expect(card.getByTestId("approval-notice")).toHaveCount(0);
    // The executor runs it (asked through the Control API, or woken by realtime) and the card follows live.
    await expect(card).toHaveAttribute("data-status", "executed", { timeout: 20_000 });
    await expect(card.getByTestId("file-write-diff")).toHaveAttribute("data-previous", "new");
    await expect(card.getByTestId("execution-result")).toContainText('"previous_existed": false');
    const thread = page.getByTestId("task-thread");
    await expect(thread).toContainText("Approved file_write");
    await expect(thread).toContainText("Executed file_write");

    expect(fs.readFileSync(path.join(workspaceDir, file), "utf8")).toBe("# Approvals\n\nEvery risky action waits for a human.\n");
    const stored = await readProposal(admin, proposalId);
    expect(stored).toMatchObject({ status: "executed", resolved_by: OPERATOR.userId });
    const outcomes = await admin
      .from("task_events")
      .select("metadata")
      .eq("proposal_id", proposalId)
      .eq("kind", "approval_resolved")
      .order("seq");
    expect(outcomes.data?.map((e) => (e.metadata as { status: string }).status)).toEqual(["approved", "executed"]);
    await shot("task-thread-executed");
  });

  test("Edit & approve is a form from the schema (real line breaks), checked before it runs; JSON stays as a fallback", async ({
    workspaceDir,
    page,
    admin,
    signIn,
    shot,
  }) => {
    const project = await createTestProject(admin, { label: "edit-approve" });
    const taskId = await insertTask(admin, project.id, { title: "Tune the readme" });
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: "README.md", content: "draft\nsecond line\n" },
      proposed_by_agent_key: "lead",
      task_id: taskId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const card = approvalCard(page, proposalId);
    await card.getByRole("button", { name: "Edit & approve" }).click();
    const form = card.getByTestId("params-form");
    // The content is edited as text with its line breaks, not as a JSON string with \n escapes.
    await expect(form.getByLabel("content")).toHaveValue("draft\nsecond line\n");
    await expect(form.getByLabel("path")).toHaveValue("README.md");
    await form.getByLabel("path").fill("../outside.md");
    await card.getByRole("button", { name: "Approve edited params" }).click();
    await expect(card.getByRole("alert")).toContainText("path: a relative path inside the workspace");
    expect((await readProposal(admin, proposalId)).status).toBe("proposed");

    // The advanced JSON editor carries the form's edits across, and back.
    await card.getByRole("button", { name: "Edit as JSON (advanced)" }).click();
    const editor = card.getByRole("textbox", { name: "Edited params" });
    await expect(editor).toHaveValue(/"path": "..\/outside.md"/);
    await editor.fill(JSON.stringify({ path: `edited-${project.id.slice(0, 8)}.md`, content: "final\n" }));
    await card.getByRole("button", { name: "Back to the form" }).click();
    await expect(form.getByLabel("path")).toHaveValue(`edited-${project.id.slice(0, 8)}.md`);
    await form.getByLabel("content").fill("final\nwith a second line\n");
    await shot("edit-approve-form");
    await card.getByRole("button", { name: "Approve edited params" }).click();
    await expect(card).toHaveAttribute("data-status", "executed", { timeout: 20_000 });
    const stored = await readProposal(admin, proposalId);
    expect(stored.params).toEqual({ path: `edited-${project.id.slice(0, 8)}.md`, content: "final\nwith a second line\n" });
    expect(stored.approved_params_hash).not.toBeNull();
    await expect(card.getByTestId("file-write-diff")).toContainText("final");
    expect(fs.readFileSync(path.join(workspaceDir, `edited-${project.id.slice(0, 8)}.md`), "utf8")).toBe("final\nwith a second line\n");
  });

  test("in Backup mode the approval is saved, the card says it runs later, and it runs when the executor is back", async ({
    page,
    admin,
    signIn,
    executor,
    workspaceDir,
  }) => {
    await executor.stop();
    const project = await createTestProject(admin, { label: "approve-backup" });
    const taskId = await insertTask(admin, project.id, { title: "Write the runbook" });
    const file = `runbook-${project.id.slice(0, 8)}.md`;
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: file, content: "1. Check the badge.\n" },
      proposed_by_agent_key: "lead",
      task_id: taskId,
    });
    await signIn();
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    await expect(badge(page)).toHaveAttribute("data-mode", "backup");
    const card = approvalCard(page, proposalId);
    await card.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(card).toHaveAttribute("data-status", "approved");
    await expect(card.getByTestId("approval-notice")).toContainText("it runs when the executor picks it up");
    expect((await readProposal(admin, proposalId)).status).toBe("approved");
    expect(fs.existsSync(path.join(workspaceDir, file))).toBe(false);

    await executor.start();
    await expect(card).toHaveAttribute("data-status", "executed", { timeout: 30_000 });
    expect(fs.readFileSync(path.join(workspaceDir, file), "utf8")).toBe("1. Check the badge.\n");
  });
});
