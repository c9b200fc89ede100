import { describe, expect, it } from "vitest";
import { ACTION_PARAMS_SCHEMAS, ACTION_TYPES, ZActionProposal, ZActionProposalInput, ZActionProposalParams } from "./index.ts";

const valid = {
  create_task: { title: "Write the release notes", priority: "high", definition_of_done: [{ text: "Reviewed", done: false }] },
  schedule_job: { name: "Morning check", schedule_kind: "cron", schedule_expr: "0 9 * * 1-5", job_intent: "heartbeat" },
  edit_doc: { doc_type: "mission", agent_key: null, content: "Ship the approvals slice." },
  send_message: { thread_key: "DM:builder", content: "Done with the plan." },
  api_call: { method: "POST", url: "https://api.example.test/hooks", body: { ok: true }, timeout_ms: 5000 },
  file_write: { path: "docs/plan.md", content: "# Plan\n" },
  apply_changeset: { changeset_id: "0f8fad5b-d9cb-469f-a165-70867728950e", paths: ["docs/plan.md", "CHANGELOG.md"] },
} as const;

describe("ZActionProposalParams", () => {
  it("has a params schema for every action type the database accepts", () => {
    expect(Object.keys(ACTION_PARAMS_SCHEMAS).sort()).toEqual([...ACTION_TYPES].sort());
  });

  it.each(ACTION_TYPES)("accepts valid %s params", (action_type) => {
    const parsed = ZActionProposalParams.safeParse({ action_type, params: valid[action_type] });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it.each(ACTION_TYPES)("refuses %s params with an unknown key, since the approval hash covers exactly what runs", (action_type) => {
    expect(ZActionProposalParams.safeParse({ action_type, params: { ...valid[action_type], sneaky: 1 } }).success).toBe(false);
  });

  it("validates params against the schema of the named type, not any type", () => {
    expect(ZActionProposalParams.safeParse({ action_type: "file_write", params: valid.send_message }).success).toBe(false);
    expect(ZActionProposalParams.safeParse({ action_type: "delete_everything", params: {} }).success).toBe(false);
  });

  it.each(["/etc/passwd", "../outside.txt", "docs/../../outside.txt", "C:\\Windows\\x", "docs\\..\\..\\x"])(
    "refuses a file_write to %s",
    (path) => {
      expect(ZActionProposalParams.safeParse({ action_type: "file_write", params: { path, content: "x" } }).success).toBe(false);
    },
  );

  it.each(["ftp://example.test/x", "file:///etc/passwd", "not a url"])("refuses an api_call to %s", (url) => {
    expect(ZActionProposalParams.safeParse({ action_type: "api_call", params: { method: "GET", url } }).success).toBe(false);
  });

  it("refuses a send_message to a thread that is neither the Team Room nor a DM", () => {
    expect(ZActionProposalParams.safeParse({ action_type: "send_message", params: { thread_key: "task:x", content: "hi" } }).success).toBe(
      false,
    );
  });

  it("refuses a create_task whose checklist items are not {text, done}", () => {
    const params = { title: "x", definition_of_done: [{ text: "a" }] };
    expect(ZActionProposalParams.safeParse({ action_type: "create_task", params }).success).toBe(false);
  });
});

describe("ZActionProposalInput", () => {
  it("needs risk and reversibility besides the params", () => {
    const base = { action_type: "file_write", params: valid.file_write };
    expect(ZActionProposalInput.safeParse(base).success).toBe(false);
    expect(
      ZActionProposalInput.safeParse({ ...base, risk: "low", reversibility: "reversible", rollback_plan: "git checkout" }).success,
    ).toBe(true);
  });
});

describe("ZActionProposal", () => {
  const row = {
    id: "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
    project_id: "6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
    action_type: "file_write",
    params: valid.file_write,
    summary: "Write the plan",
    params_hash: "a".repeat(64),
    risk: "medium",
    blast_radius: "one file",
    reversibility: "reversible",
    rollback_plan: "restore the previous content",
    expires_at: "2026-11-22T08:46:53.123456+00:00",
    proposed_by_agent_key: "builder",
    task_id: null,
    thread_id: null,
    revision_of: null,
    status: "proposed",
    resolved_by: null,
    resolved_at: null,
    resolution_comment: null,
    approved_params_hash: null,
    claimed_by: null,
    execution_started_at: null,
    finished_at: null,
    execution_result: null,
    error: null,
    created_at: "2026-11-21T08:46:53.123456+00:00",
    updated_at: "2026-11-21T08:46:53.123456+00:00",
    seq: 42,
  };

  it("parses a row as the API returns it, narrowing params by action type", () => {
    const parsed = ZActionProposal.parse(row);
    if (parsed.action_type !== "file_write") throw new Error("expected a file_write");
    expect(parsed.params.path).toBe("docs/plan.md");
  });

  it("refuses a status outside the state machine", () => {
    expect(ZActionProposal.safeParse({ ...row, status: "auto_approved" }).success).toBe(false);
  });
});
