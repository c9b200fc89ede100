import { describe, expect, it } from "vitest";
import { proposalRow } from "../../testing/test-rows.ts";
import { readFileWriteDiff } from "./read-file-write-diff.ts";

describe("readFileWriteDiff", () => {
  it("shows the proposed content as all new while the previous content is unknown", () => {
    expect(readFileWriteDiff(proposalRow("p"))).toEqual({
      path: "notes/a.md",
      previous: "",
      proposed: "hello\n",
      previousSource: "unknown",
    });
  });

  it("uses the previous content the executor recorded after it ran", () => {
    const diff = readFileWriteDiff(
      proposalRow("p", {
        status: "executed",
        execution_result: { path: "notes/a.md", bytes: 6, previous_existed: true, previous_content: "old\n" },
      }),
    );
    expect(diff?.previous).toBe("old\n");
    expect(diff?.previousSource).toBe("recorded");
  });

  it("says there was no file when the executor created it", () => {
    const result = { path: "notes/a.md", bytes: 6, previous_existed: false, previous_content: null, previous: "did not exist" };
    expect(readFileWriteDiff(proposalRow("p", { status: "executed", execution_result: result }))).toMatchObject({
      previous: "",
      previousSource: "new",
    });
  });

  it("is null for other actions and for params that are not a valid file_write", () => {
    expect(readFileWriteDiff(proposalRow("p", { action_type: "send_message" }))).toBeNull();
    expect(readFileWriteDiff(proposalRow("p", { params: { path: "../etc/passwd", content: "" } }))).toBeNull();
  });
});
