import { SLASH_COMMANDS } from "@mission-control/shared/schemas";
import { describe, expect, it } from "vitest";
import { filterSlashCommands, insertSlashCommand, slashKeyAction, slashQuery } from "./slash-suggestions.ts";

describe("slashQuery", () => {
  it("reads the command word while the message starts with a slash", () => {
    expect(slashQuery("/", 1)).toBe("");
    expect(slashQuery("/pl", 3)).toBe("pl");
    expect(slashQuery("/PL", 3)).toBe("pl");
  });

  it("offers nothing once the caret leaves the first word, or for a slash inside a sentence", () => {
    expect(slashQuery("/plan the migration", 19)).toBeNull();
    expect(slashQuery("see /plan", 9)).toBeNull();
    expect(slashQuery(" /plan", 6)).toBeNull();
    expect(slashQuery("", 0)).toBeNull();
  });
});

describe("filterSlashCommands", () => {
  it("lists every command for a bare slash, and narrows by prefix", () => {
    expect(filterSlashCommands("").length).toBe(SLASH_COMMANDS.length);
    expect(filterSlashCommands("p").map((c) => c.command)).toEqual(["/plan"]);
    expect(filterSlashCommands("xyz")).toEqual([]);
  });
});

describe("insertSlashCommand", () => {
  it("replaces the typed word with the command and a space, keeping what follows", () => {
    const plan = SLASH_COMMANDS[0];
    expect(insertSlashCommand("/pl", 3, plan)).toEqual({ text: "/plan ", caret: 6 });
    expect(insertSlashCommand("/pl the migration", 3, plan)).toEqual({ text: "/plan the migration", caret: 6 });
  });
});

describe("slashKeyAction", () => {
  const options = filterSlashCommands("");
  it("moves with the arrows, wrapping at both ends", () => {
    expect(slashKeyAction("ArrowDown", 0, options)).toEqual({ kind: "move", active: 1 });
    expect(slashKeyAction("ArrowUp", 0, options)).toEqual({ kind: "move", active: options.length - 1 });
    expect(slashKeyAction("ArrowDown", options.length - 1, options)).toEqual({ kind: "move", active: 0 });
  });

  it("picks the active command with Enter or Tab, closes with Escape, and leaves other keys to the text box", () => {
    expect(slashKeyAction("Enter", 1, options)).toEqual({ kind: "pick", command: options[1] });
    expect(slashKeyAction("Tab", 9, options)).toEqual({ kind: "pick", command: options.at(-1) });
    expect(slashKeyAction("Escape", 0, options)).toEqual({ kind: "close" });
    expect(slashKeyAction("a", 0, options)).toBeNull();
    expect(slashKeyAction("Enter", 0, [])).toBeNull();
  });
});
