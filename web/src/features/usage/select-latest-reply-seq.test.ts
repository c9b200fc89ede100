import type { TAgent } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { createLiveStore } from "../live/live-store.ts";
import { selectLatestReplySeq } from "./select-latest-reply-seq.ts";

function message(id: string, over: Record<string, unknown>) {
  return {
    id,
    project_id: "p1",
    thread_id: "t1",
    author_type: "agent" as const,
    author_user_id: null,
    author_agent_key: "lead",
    target_agent_keys: [],
    message_type: "text" as const,
    content: "",
    metadata: {},
    status: "sent" as const,
    reply_to: null,
    created_at: "2026-11-30T00:00:00Z",
    seq: 1,
    ...over,
  };
}

const LEAD: TAgent = {
  id: "a-lead",
  project_id: "p1",
  agent_key: "lead",
  display_name: "Lead",
  role: "",
  enabled: true,
  provider: null,
  provider_connection_id: null,
  model: null,
  system_prompt: "",
  temperature: null,
  max_context_tokens: null,
  max_output_tokens: null,
  verbosity: null,
  tools_enabled: [],
  risk_tolerance: "low",
  capabilities: [],
  heartbeat: {},
  created_at: "2026-11-30T00:00:00Z",
  updated_at: "2026-11-30T00:00:00Z",
  seq: 1,
};

describe("selectLatestReplySeq", () => {
  it("follows agent replies of the project (of one agent when asked), not the operator's messages", () => {
    const store = createLiveStore();
    store
      .getState()
      .applyRows("project_chat_messages", [
        message("m1", { seq: 5 }),
        message("m2", { seq: 9, author_agent_key: "backend" }),
        message("m3", { seq: 20, author_type: "user", author_agent_key: null }),
        message("m4", { seq: 30, project_id: "p2" }),
      ]);
    store.getState().applyRows("agents", [LEAD]);
    expect(selectLatestReplySeq(store.getState(), "p1")).toBe(9);
    expect(selectLatestReplySeq(store.getState(), "p1", "a-lead")).toBe(5);
  });
});
