import { describe, expect, it } from "vitest";
import { activityLinks, describeActor } from "./describe-activity.ts";

const names = new Map([
  ["lead", "Lead"],
  ["web", "Web"],
]);
const threads: Record<string, string> = { th1: "team-room", th2: "DM:web", th3: "task:t9" };
const base = {
  projectSlug: "demo",
  agentNames: names,
  threadKeyOf: (id: string) => threads[id],
  taskTitleOf: (id: string) => (id === "t1" ? "Fix login" : undefined),
};

describe("describeActor", () => {
  it("names agents, people and system actors, never an executor's machine id", () => {
    expect(describeActor({ actor_type: "agent", actor: "lead" }, names, "me")).toBe("Lead");
    expect(describeActor({ actor_type: "agent", actor: "gone" }, names, "me")).toBe("gone");
    expect(describeActor({ actor_type: "user", actor: "me" }, names, "me")).toBe("You");
    expect(describeActor({ actor_type: "user", actor: "u2" }, names, "me")).toBe("Operator");
    expect(describeActor({ actor_type: "system", actor: "watchdog" }, names, "me")).toBe("Watchdog");
    expect(describeActor({ actor_type: "system", actor: "vm-12699" }, names, "me")).toBe("Executor");
  });
});

describe("activityLinks", () => {
  it("links an approval outcome to its task, proposal and proposing agent", () => {
    const links = activityLinks({ ...base, ref: { proposal_id: "p1", task_id: "t1", agent_key: "lead", status: "executed" } });
    expect(links).toEqual([
      { kind: "task", label: "Fix login", href: "/p/demo/tasks/t1" },
      { kind: "proposal", label: "Proposal", href: "/p/demo/approvals?proposal=p1" },
      { kind: "agent", label: "Lead", href: "/p/demo/agents/lead" },
    ]);
  });

  it("links a proposal made in a DM to that DM too", () => {
    expect(activityLinks({ ...base, ref: { proposal_id: "p1", thread_id: "th2" } }).map((l) => l.label)).toEqual([
      "Proposal",
      "DM with Web",
    ]);
  });

  it("links a reply to the page its thread is on", () => {
    expect(activityLinks({ ...base, ref: { message_id: "m1", thread_id: "th1" } })).toEqual([
      { kind: "message", label: "Team Room", href: "/p/demo/team-room" },
    ]);
    expect(activityLinks({ ...base, ref: { message_id: "m1", thread_id: "th2" } })[0]).toEqual({
      kind: "message",
      label: "DM with Web",
      href: "/p/demo/dms?agent=web",
    });
    expect(activityLinks({ ...base, ref: { message_id: "m1", thread_id: "th3" } })[0]?.href).toBe("/p/demo/tasks/t9");
  });

  it("links a run, and nothing for an empty or unknown ref", () => {
    expect(activityLinks({ ...base, ref: { run_id: "r1" } })).toEqual([{ kind: "run", label: "Run", href: "/p/demo/runs/r1" }]);
    expect(activityLinks({ ...base, ref: {} })).toEqual([]);
    expect(activityLinks({ ...base, ref: { agent_key: "gone", thread_id: "unknown" } })).toEqual([]);
  });
});
