import type { TChatDelivery, TChatMessage } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { selectAgentRecentWork } from "./select-agent-recent-work.ts";

const message = (id: string, patch: Partial<TChatMessage>): TChatMessage => ({
  id,
  project_id: "p1",
  thread_id: "t1",
  author_type: "user",
  author_user_id: "u1",
  author_agent_key: null,
  target_agent_keys: [],
  message_type: "text",
  content: id,
  metadata: {},
  status: "sent",
  reply_to: null,
  created_at: "2026-11-30T10:00:00Z",
  seq: 1,
  ...patch,
});

const delivery = (id: string, patch: Partial<TChatDelivery>): TChatDelivery => ({
  id,
  project_id: "p1",
  message_id: "m1",
  agent_key: "lead",
  status: "processed",
  attempts: 1,
  error: null,
  updated_at: "2026-11-30T10:00:05Z",
  seq: 1,
  ...patch,
});

describe("selectAgentRecentWork", () => {
  it("pairs each of the agent's deliveries with its message and the agent's latest reply, newest first", () => {
    const messages = {
      m1: message("m1", { created_at: "2026-11-30T10:00:00Z" }),
      m2: message("m2", { created_at: "2026-11-30T11:00:00Z" }),
      r1: message("r1", { author_type: "agent", author_agent_key: "lead", reply_to: "m1", seq: 5 }),
      r1b: message("r1b", { author_type: "agent", author_agent_key: "lead", reply_to: "m1", seq: 9 }),
      other: message("other", { author_type: "agent", author_agent_key: "qa", reply_to: "m2", seq: 7 }),
    };
    const deliveries = {
      d1: delivery("d1", { message_id: "m1" }),
      d2: delivery("d2", { message_id: "m2", status: "failed", error: "budget exceeded" }),
      d3: delivery("d3", { message_id: "m2", agent_key: "qa" }),
    };
    const items = selectAgentRecentWork({ deliveries, messages }, "p1", "lead", 10);
    expect(items.map((i) => [i.delivery.id, i.message?.id, i.reply?.id])).toEqual([
      ["d2", "m2", undefined],
      ["d1", "m1", "r1b"],
    ]);
  });

  it("keeps at most the limit", () => {
    const deliveries = Object.fromEntries(
      [1, 2, 3].map((n) => [`d${n}`, delivery(`d${n}`, { message_id: `m${n}`, updated_at: `2026-11-30T10:00:0${n}Z` })]),
    );
    expect(selectAgentRecentWork({ deliveries, messages: {} }, "p1", "lead", 2).map((i) => i.delivery.id)).toEqual(["d3", "d2"]);
  });
});
