import { createSupabaseClient } from "@mission-control/shared/db";
import { expect, test } from "../testing/fixtures.ts";
import { approvalCard, insertTask, proposeAction, readProposal } from "../testing/task-helpers.ts";
import { createTestProject, createUser, OPERATOR } from "../testing/test-data.ts";

test.describe("viewers", () => {
  test("a viewer sees the proposal but no buttons, and the database refuses their approval", async ({ page, admin, env, signIn, shot }) => {
    const viewer = await createUser(admin, "viewer");
    const project = await createTestProject(admin, {
      label: "viewer",
      members: [
        { userId: OPERATOR.userId, role: "owner" },
        { userId: viewer.userId, role: "viewer" },
      ],
    });
    const taskId = await insertTask(admin, project.id, { title: "Rotate the logs" });
    const proposalId = await proposeAction(admin, project.id, {
      action_type: "file_write",
      params: { path: "ops/logrotate.conf", content: "weekly\nrotate 4\n" },
      proposed_by_agent_key: "lead",
      task_id: taskId,
    });
    await signIn({ email: viewer.email, password: viewer.password });
    await page.goto(`/p/${project.slug}/tasks/${taskId}`);
    const card = approvalCard(page, proposalId);
    await expect(card.getByTestId("file-write-diff")).toContainText("rotate 4");
    await expect(card.getByRole("button")).toHaveCount(0);
    await expect(page.getByRole("textbox", { name: "Reply to the thread" })).toHaveCount(0);
    await expect(page.getByText("You are a viewer in this project")).toBeVisible();
    await shot("task-thread-viewer");

    await page.goto(`/p/${project.slug}/approvals`);
    await expect(page.getByTestId("inbox-item")).toHaveCount(1);
    await expect(page.getByTestId("inbox-item").getByRole("button")).toHaveCount(0);

    const client = createSupabaseClient(env.E2E_SUPABASE_URL, env.E2E_SUPABASE_ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    await client.auth.signInWithPassword({ email: viewer.email, password: viewer.password });
    const refused = await client.rpc("resolve_action_proposal", { p_proposal_id: proposalId, p_decision: "approve" });
    expect(refused.error?.code).toBe("42501");
    expect((await readProposal(admin, proposalId)).status).toBe("proposed");
  });
});
