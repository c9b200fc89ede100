import type { TChatDelivery, TChatMessage, TChatThread } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { selectThread } from "./select-thread.ts";

const thread = (id: string, key: string): TChatThread => ({
  id,
  project_id: "p",
  kind: "dm",
  thread_key: key,
  agent_key: "lead",
  title: "",
  seq: 1,
});
const msg = (
  id: string,
  threadId: string,
  createdAt: string,
  seq: number,
  authorType: TChatMessage["author_type"] = "user",
): TChatMessage => ({
  id,
  project_id: "p",
  thread_id: threadId,
  author_type: authorType,
  author_user_id: null,
  author_agent_key: authorType === "agent" ? "lead" : null,
  target_agent_keys: [],
  message_type: "text",
  content: id,
  metadata: {},
  status: "sent",
  reply_to: null,
  created_at: createdAt,
  seq,
});
const delivery = (id: string, messageId: string, agent: string): TChatDelivery => ({
  id,
  project_id: "p",
  message_id: messageId,
  agent_key: agent,
  status: "queued",
  attempts: 0,
  error: null,
  updated_at: "",
  seq: 1,
});

describe("selectThread", () => {
  const rows = {
    project_chat_threads: { t1: thread("t1", "DM:lead"), t2: thread("t2", "DM:web") },
    project_chat_messages: {
      b: msg("b", "t1", "2026-11-21T08:00:02Z", 3),
      a: msg("a", "t1", "2026-11-21T08:00:01Z", 99),
      r: msg("r", "t1", "2026-11-21T08:00:02Z", 4, "agent"),
      x: msg("x", "t2", "2026-11-21T08:00:00Z", 5),
    },
    chat_delivery_queue: { d2: delivery("d2", "a", "web"), d1: delivery("d1", "a", "backend"), dx: delivery("dx", "x", "web") },
  };

  it("orders messages by when they were written, not by seq, with the operator first on a tie", () => {
    const view = selectThread(rows, "p", "DM:lead");
    expect(view.messages.map((m) => m.id)).toEqual(["a", "b", "r"]);
  });

  it("groups only this thread's deliveries by message, sorted by agent", () => {
    const view = selectThread(rows, "p", "DM:lead");
    expect(view.deliveriesByMessage.get("a")?.map((d) => d.agent_key)).toEqual(["backend", "web"]);
    expect(view.deliveriesByMessage.has("x")).toBe(false);
  });

  it("is empty for a DM whose thread does not exist yet", () => {
    const view = selectThread(rows, "p", "DM:research");
    expect(view.thread).toBeUndefined();
    expect(view.messages).toEqual([]);
  });
});
