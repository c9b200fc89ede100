import { describe, expect, it } from "vitest";
import { readEditDocDiff } from "./read-edit-doc-diff.ts";

const params = { doc_type: "runbook", agent_key: null, content: "Deploy on Mondays." };

describe("readEditDocDiff", () => {
  it("compares the proposed text with the doc's current version until it runs", () => {
    const diff = readEditDocDiff(
      { action_type: "edit_doc", params, status: "proposed", execution_result: null },
      { content: "Deploy on Fridays.", version: 4 },
    );
    expect(diff).toMatchObject({
      oldValue: "Deploy on Fridays.",
      newValue: "Deploy on Mondays.",
      oldTitle: "Current: version 4",
      newTitle: "Proposed",
    });
  });

  it("shows a doc that does not exist yet as empty", () => {
    const diff = readEditDocDiff({ action_type: "edit_doc", params, status: "approved", execution_result: null }, null);
    expect(diff).toMatchObject({ oldValue: "", oldTitle: "Current: no doc yet" });
  });

  it("compares with the text it replaced once executed, whatever the doc says now", () => {
    const diff = readEditDocDiff(
      {
        action_type: "edit_doc",
        params,
        status: "executed",
        execution_result: { version: 5, previous: { title: "Runbook", content: "Deploy on Fridays." } },
      },
      { content: "Changed again later.", version: 6 },
    );
    expect(diff).toMatchObject({ oldValue: "Deploy on Fridays.", oldTitle: "Before", newTitle: "Written as version 5" });
  });

  it("is null for another action or params that are not an edit_doc", () => {
    expect(readEditDocDiff({ action_type: "create_task", params, status: "proposed", execution_result: null }, null)).toBeNull();
    expect(
      readEditDocDiff({ action_type: "edit_doc", params: { content: 1 }, status: "proposed", execution_result: null }, null),
    ).toBeNull();
  });
});
