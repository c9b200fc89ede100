import type { TBrainDoc } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { authorOf, findDoc, groupDocs } from "./describe-docs.ts";

const doc = (id: string, agentKey: string | null, docType: string): TBrainDoc => ({
  id,
  project_id: "p",
  agent_key: agentKey,
  doc_type: docType,
  title: "",
  content: "",
  version: 1,
  updated_at: "2026-12-01T00:00:00Z",
  seq: 1,
});

describe("groupDocs", () => {
  it("puts project docs first with the mission on top, then each agent in roster order, then unknown agents", () => {
    const docs = [
      doc("n", null, "notes"),
      doc("m", null, "mission"),
      doc("wm", "web", "memory"),
      doc("wi", "web", "instructions"),
      doc("g", "gone", "memory"),
    ];
    const groups = groupDocs(docs, [
      { agent_key: "lead", display_name: "Lead" },
      { agent_key: "web", display_name: "Web" },
    ]);
    expect(groups.map((g) => [g.label, g.docs.map((d) => d.id)])).toEqual([
      ["Project", ["m", "n"]],
      ["Lead", []],
      ["Web", ["wi", "wm"]],
      ["@gone", ["g"]],
    ]);
  });
});

describe("findDoc", () => {
  it("finds the project mission by name and any doc by id", () => {
    const docs = [doc("a", "web", "mission"), doc("b", null, "mission")];
    expect(findDoc(docs, "mission")?.id).toBe("b");
    expect(findDoc(docs, "a")?.id).toBe("a");
    expect(findDoc(docs, "zzz")).toBeNull();
    expect(findDoc(docs, null)).toBeNull();
  });
});

describe("authorOf", () => {
  it("names the agent, you, another operator or the system", () => {
    const names = new Map([["web", "Web"]]);
    expect(authorOf({ author_user_id: null, author_agent_key: "web" }, "me", names)).toBe("Web");
    expect(authorOf({ author_user_id: null, author_agent_key: "ghost" }, "me", names)).toBe("@ghost");
    expect(authorOf({ author_user_id: "me", author_agent_key: null }, "me", names)).toBe("You");
    expect(authorOf({ author_user_id: "other", author_agent_key: null }, "me", names)).toBe("Operator");
    expect(authorOf({ author_user_id: null, author_agent_key: null }, "me", names)).toBe("System");
  });
});
