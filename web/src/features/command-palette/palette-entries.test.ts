import type { TAgent, TChatThread, TTask } from "@mission-control/shared/rows";
import { describe, expect, it } from "vitest";
import { paletteEntries, type TPaletteInput } from "./palette-entries.ts";

const agent = (agent_key: string, display_name: string) => ({ agent_key, display_name, role: "" }) as TAgent;
const task = (id: string, title: string, updated_at: string) =>
  ({ id, title, updated_at, status: "inbox", assignee_agent_key: null }) as TTask;

function input(patch: Partial<TPaletteInput> = {}): TPaletteInput {
  return {
    slug: "demo",
    canWrite: true,
    labs: { team_room: false, dms: false },
    pendingApprovals: 0,
    theme: "dark",
    themePreference: "system",
    agents: [agent("lead", "Lead")],
    tasks: [],
    threads: [],
    ...patch,
  };
}

const labels = (groups: ReturnType<typeof paletteEntries>, heading: string) =>
  groups.find((g) => g.heading === heading)?.entries.map((e) => e.label) ?? [];

describe("paletteEntries", () => {
  it("offers writers New task and Start a run, and viewers neither", () => {
    expect(labels(paletteEntries(input()), "Actions")).toEqual(expect.arrayContaining(["New task", "Start a run", "Sign out"]));
    const viewer = labels(paletteEntries(input({ canWrite: false })), "Actions");
    expect(viewer).not.toContain("New task");
    expect(viewer).not.toContain("Start a run");
    expect(viewer).toContain("Open the approvals inbox");
  });

  it("sends New task to the Tasks page with its intent", () => {
    const entry = paletteEntries(input())[0]?.entries.find((e) => e.label === "New task");
    expect(entry?.run).toEqual({ kind: "go", href: "/p/demo/tasks?do=new-task" });
  });

  it("leaves out labs pages and threads that are off, and lists a DM per agent when on", () => {
    expect(labels(paletteEntries(input()), "Pages")).not.toContain("DMs");
    expect(labels(paletteEntries(input()), "Threads")).toEqual([]);
    const on = paletteEntries(
      input({ labs: { team_room: true, dms: true }, threads: [{ kind: "dm", agent_key: "ghost" } as TChatThread] }),
    );
    expect(labels(on, "Pages")).toEqual(expect.arrayContaining(["Team Room", "DMs"]));
    expect(labels(on, "Threads")).toEqual(["Team Room", "DM with Lead", "DM with ghost"]);
  });

  it("switches to the opposite theme, and offers System only when a theme is forced", () => {
    expect(labels(paletteEntries(input({ theme: "light" })), "Actions")).toContain("Switch to the dark theme");
    expect(labels(paletteEntries(input()), "Actions")).not.toContain("Follow the system theme");
    expect(labels(paletteEntries(input({ themePreference: "dark" })), "Actions")).toContain("Follow the system theme");
  });

  it("lists the newest tasks first, linking to each task's page", () => {
    const groups = paletteEntries(
      input({ tasks: [task("a", "Older", "2026-01-01T00:00:00Z"), task("b", "Newer", "2026-02-01T00:00:00Z")] }),
    );
    expect(labels(groups, "Tasks")).toEqual(["Newer", "Older"]);
    expect(groups.find((g) => g.heading === "Tasks")?.entries[0]?.run).toEqual({ kind: "go", href: "/p/demo/tasks/b" });
  });
});
