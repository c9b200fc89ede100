import { describe, expect, it } from "vitest";
import { createLiveStore } from "./live-store.ts";
import { catchUpDependenciesOf, planCatchUpReads, planWatchedReads, type TCatchUpContext } from "./plan-catch-up-reads.ts";

const P = "p1";

function context(watched: Partial<TCatchUpContext["watched"]>): TCatchUpContext {
  return { projectId: P, rows: createLiveStore().getState().rows, watched: { task: [], run: [], changeset: [], ...watched } };
}

describe("planCatchUpReads", () => {
  it("reads a run page's run, its timeline and its changeset, and a changeset's files and reviews", () => {
    const open = context({ run: ["r1"], changeset: ["c1"] });
    expect(planCatchUpReads("ai_runs", open)).toContainEqual({ eq: {}, in: { column: "id", values: ["r1"] } });
    expect(planCatchUpReads("ai_run_events", open)).toEqual([{ eq: { run_id: "r1" }, newestFirstBy: "seq", limit: 1000 }]);
    expect(planCatchUpReads("changesets", open)).toEqual([
      { eq: { project_id: P, status: "proposed" } },
      { eq: { project_id: P }, newestFirstBy: "seq", limit: 100 },
      { eq: {}, in: { column: "run_id", values: ["r1"] } },
      { eq: {}, in: { column: "id", values: ["c1"] } },
    ]);
    expect(planCatchUpReads("changeset_files", open)).toEqual([{ eq: {}, in: { column: "changeset_id", values: ["c1"] } }]);
    expect(planCatchUpReads("changeset_reviews", open)).toEqual([{ eq: {}, in: { column: "changeset_id", values: ["c1"] } }]);
  });

  it("caps every window at maxWindow (the server's first render), never the pending rows or the whole tables", () => {
    const capped = { ...context({}), maxWindow: 50 };
    expect(planCatchUpReads("activities", capped)).toEqual([{ eq: { project_id: P }, newestFirstBy: "seq", limit: 50 }]);
    expect(planCatchUpReads("changesets", capped)).toEqual([
      { eq: { project_id: P, status: "proposed" } },
      { eq: { project_id: P }, newestFirstBy: "seq", limit: 50 },
    ]);
    expect(planCatchUpReads("agents", capped)).toEqual([{ eq: { project_id: P } }]);
    // A window already under the cap stays as it is.
    expect(planCatchUpReads("activities", { ...capped, maxWindow: 500 })).toEqual([
      { eq: { project_id: P }, newestFirstBy: "seq", limit: 100 },
    ]);
  });

  it("reads no timeline, file or review when nothing is open (they are large, and realtime brings new ones)", () => {
    const closed = context({});
    expect(planCatchUpReads("ai_run_events", closed)).toEqual([]);
    expect(planCatchUpReads("changeset_files", closed)).toEqual([]);
    expect(planCatchUpReads("changeset_reviews", closed)).toEqual([]);
  });

  it("lists many open changesets 100 ids per read", () => {
    const ids = Array.from({ length: 130 }, (_, i) => `c${i}`);
    const reads = planCatchUpReads("changeset_files", context({ changeset: ids }));
    expect(reads.map((read) => read.in?.values.length)).toEqual([100, 30]);
  });

  it("plans a thread's messages after the threads and the deliveries after the messages; every other table at once", () => {
    expect(catchUpDependenciesOf("project_chat_messages")).toEqual(["project_chat_threads"]);
    expect(catchUpDependenciesOf("chat_delivery_queue")).toEqual(["project_chat_messages"]);
    expect(catchUpDependenciesOf("activities")).toEqual([]);
    expect(catchUpDependenciesOf("ai_runs")).toEqual([]);
    expect(catchUpDependenciesOf("changeset_files")).toEqual([]);
  });
});

describe("planWatchedReads", () => {
  it("reads only what concerns the thing that just opened", () => {
    expect(planWatchedReads("ai_runs", "task", ["t1"])).toEqual([{ eq: { task_id: "t1" }, newestFirstBy: "created_at", limit: 50 }]);
    expect(planWatchedReads("ai_runs", "changeset", ["c1"])).toEqual([]);
    expect(planWatchedReads("tasks", "task", ["t1"])).toEqual([{ eq: {}, in: { column: "id", values: ["t1"] } }]);
  });
});
