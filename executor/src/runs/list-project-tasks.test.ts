import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestProject, type TTestProject } from "../testing/stack-fixtures.ts";
import { listProjectTasks } from "./list-project-tasks.ts";

let project: TTestProject;
let other: TTestProject;

beforeAll(async () => {
  project = await createTestProject("list-tasks", [{ agent_key: "builder", display_name: "Builder", capabilities: [] }]);
  other = await createTestProject("list-tasks-other", [{ agent_key: "builder", display_name: "Builder", capabilities: [] }]);
  // 120 done tasks changed after the open ones: a list of the 100 most recent would hold no open task.
  const rows = [
    { title: "Open: add an index", status: "inbox" },
    { title: "Open: 100% coverage_report", status: "review", assignee_agent_key: "builder" },
    ...Array.from({ length: 120 }, (_, i) => ({ title: `Done ${i}`, status: "done" })),
  ];
  for (const row of rows) {
    const { error } = await project.db.from("tasks").insert({ project_id: project.projectId, ...row });
    if (error) throw new Error(error.message);
  }
  const { error } = await other.db.from("tasks").insert({ project_id: other.projectId, title: "Open: another project's task" });
  if (error) throw new Error(error.message);
});

afterAll(async () => {
  await project?.remove();
  await other?.remove();
});

const list = (filter: Parameters<typeof listProjectTasks>[2]) =>
  listProjectTasks(project.db, project.projectId, filter, AbortSignal.timeout(10_000));

describe("listProjectTasks (list_tasks)", () => {
  it("answers open tasks first, then the most recently changed done ones, only of the run's project", async () => {
    const tasks = await list({ limit: 5 });
    expect(tasks.map((t) => t.title)).toEqual(["Open: 100% coverage_report", "Open: add an index", "Done 119", "Done 118", "Done 117"]);
    expect(tasks[0]).toEqual({
      id: expect.any(String),
      title: "Open: 100% coverage_report",
      status: "review",
      assignee_agent_key: "builder",
      priority: "normal",
    });
  });

  it("filters in the database: a column, an assignee, words of the title (% and _ match only themselves)", async () => {
    expect((await list({ status: "done", limit: 100 })).length).toBe(100);
    expect((await list({ status: "inbox", limit: 10 })).map((t) => t.title)).toEqual(["Open: add an index"]);
    expect((await list({ assignee_agent_key: "builder", limit: 10 })).map((t) => t.title)).toEqual(["Open: 100% coverage_report"]);
    expect((await list({ query: "ADD AN", limit: 10 })).map((t) => t.title)).toEqual(["Open: add an index"]);
    expect((await list({ query: "100%", limit: 10 })).map((t) => t.title)).toEqual(["Open: 100% coverage_report"]);
    expect(await list({ query: "o_e", limit: 10 })).toEqual([]);
    expect(await list({ query: "another project", limit: 10 })).toEqual([]);
  });
});
