import { describe, expect, it } from "vitest";
import { taskFromMessage } from "./task-from-message.ts";

describe("taskFromMessage", () => {
  it("takes the first line without leading mentions as the title and quotes the message", () => {
    const draft = taskFromMessage({
      content: "@web @lead: fix the login page\nit 500s",
      author: "Lead",
      place: "Team Room",
      createdAt: "today",
    });
    expect(draft.title).toBe("fix the login page");
    expect(draft.description).toContain("> @web @lead: fix the login page\n> it 500s");
    expect(draft.description).toContain("by Lead in Team Room");
  });

  it("cuts a long first line at a word", () => {
    const draft = taskFromMessage({ content: "word ".repeat(60), author: "x", place: "y", createdAt: "z" });
    expect(draft.title.length).toBeLessThanOrEqual(120);
    expect(draft.title.endsWith("word…")).toBe(true);
  });
});
