import { describe, expect, it } from "vitest";
import { draftPromotedTask } from "./draft-promoted-task.ts";

const base = {
  author: "Lead",
  place: "the Team Room",
  createdAt: "1 Dec, 09:00",
  authorAgentKey: null,
  knownAgentKeys: new Set(["lead", "web"]),
};

describe("draftPromotedTask", () => {
  it("titles an agent's reply by its first line without the model's prefix, unassigned", () => {
    const draft = draftPromotedTask({
      ...base,
      content: "[offline model] Lead here. I will split the work.\nMore detail",
    });
    expect(draft.title).toBe("Lead here. I will split the work.");
    expect(draft.assigneeAgentKey).toBe("");
    expect(draft.description).toContain("> [offline model] Lead here.");
    expect(draft.description).toContain("Promoted from a message by Lead in the Team Room");
  });

  it("drops markdown from the title line", () => {
    expect(draftPromotedTask({ ...base, content: "## **Fix** the `login` page\n\nbody" }).title).toBe("Fix the login page");
    expect(draftPromotedTask({ ...base, content: "- first item\n- second" }).title).toBe("first item");
  });

  it("assigns a message to the first project agent it mentions, else nobody", () => {
    expect(draftPromotedTask({ ...base, content: "@nobody and @web: check the build" }).assigneeAgentKey).toBe("web");
    expect(draftPromotedTask({ ...base, content: "@web check the build" }).title).toBe("check the build");
    expect(draftPromotedTask({ ...base, content: "mail ops@web.example" }).assigneeAgentKey).toBe("");
  });

  it("assigns an agent's message to the agent it hands work to", () => {
    expect(draftPromotedTask({ ...base, content: "[offline model] @web can take the CSS" }).assigneeAgentKey).toBe("web");
  });
});
