import { describe, expect, it } from "vitest";
import { describeProposalTarget } from "./describe-proposal-target.ts";

describe("describeProposalTarget", () => {
  it("names what each action type acts on", () => {
    expect(describeProposalTarget("create_task", { title: "Fix login" })).toBe("Fix login");
    expect(describeProposalTarget("send_message", { thread_key: "team-room", content: "x" })).toBe("to the Team Room");
    expect(describeProposalTarget("send_message", { thread_key: "DM:web", content: "x" })).toBe("to DM:web");
    expect(describeProposalTarget("edit_doc", { doc_type: "soul", agent_key: "lead", content: "" })).toBe("soul of lead");
    expect(describeProposalTarget("edit_doc", { doc_type: "goals", content: "" })).toBe("goals project-wide");
    expect(describeProposalTarget("file_write", { path: "src/a.ts", content: "" })).toBe("src/a.ts");
    expect(describeProposalTarget("api_call", { method: "GET", url: "https://x.example/a" })).toBe("GET https://x.example/a");
    expect(describeProposalTarget("schedule_job", { name: "Digest", schedule_expr: "0 9 * * *" })).toBe("Digest (0 9 * * *)");
    expect(describeProposalTarget("apply_changeset", { changeset_id: "c", paths: ["a", "b"] })).toBe("2 files");
  });

  it("gives an empty string for malformed params or an unknown type, never throws", () => {
    expect(describeProposalTarget("create_task", null)).toBe("");
    expect(describeProposalTarget("file_write", ["x"])).toBe("");
    expect(describeProposalTarget("create_task", { title: 5 })).toBe("");
    expect(describeProposalTarget("nope", { a: 1 })).toBe("");
  });
});
