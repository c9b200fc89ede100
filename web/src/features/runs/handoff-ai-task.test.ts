import {
  createProjectFixture,
  dropProjectFixture,
  serviceClient,
  type TMember,
  type TProjectFixture,
} from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { handoffAiTask } from "./handoff-ai-task.ts";

let f: TProjectFixture;
let taskId: string;
beforeAll(async () => {
  f = await createProjectFixture("web-handoff");
  // Agents, settings and tasks are fixtures: written with the service role, as the seed would.
  const db = serviceClient();
  await db.from("agents").insert({ project_id: f.projectId, agent_key: "docs", display_name: "Docs" });
  const task = await db
    .from("tasks")
    .insert({ project_id: f.projectId, title: "Write the guide", assignee_agent_key: f.agentKey })
    .select("id");
  taskId = task.data?.[0]?.id ?? "";
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

describe("handoffAiTask (against the local stack)", () => {
  it("hands the task over and reads back the reassigned task and every run of it", async () => {
    const before = await f.operator.client.from("ai_runs").select("id, status").eq("task_id", taskId);
    expect(before.data?.map((r) => r.status)).toEqual(["queued"]);

    const { run, task, runs } = await handoffAiTask(as(f.operator), {
      taskId,
      agentKey: "docs",
      note: "The intro is done; write the API part.",
    });
    expect(run).toMatchObject({ agent_key: "docs", mode: "implement", origin: "handoff", status: "queued", task_id: taskId });
    expect(run.participants).toEqual([f.agentKey, "docs"]);
    expect(task?.assignee_agent_key).toBe("docs");
    expect(runs.map((r) => [r.agent_key, r.status]).sort()).toEqual([
      [f.agentKey, "cancelled"],
      ["docs", "queued"],
    ]);
  });

  it("refuses a viewer and an unknown agent with the database's sentence and what to do", async () => {
    const viewer = await handoffAiTask(as(f.viewer), { taskId, agentKey: "docs", note: "x" }).catch((e: unknown) => e);
    expect(viewer).toMatchObject({
      code: "forbidden",
      message:
        "Could not hand the task off: Only operators and owners of this project can hand tasks to agents — Ask an owner to give you the operator role.",
    });
    const ghost = await handoffAiTask(as(f.operator), { taskId, agentKey: "ghost", note: "x" }).catch((e: unknown) => e);
    expect(ghost).toMatchObject({ code: "invalid_input" });
    expect((ghost as Error).message).toMatch(
      /There is no enabled agent @ghost in this project — Hand the task to an agent from the roster/,
    );
  });
});
