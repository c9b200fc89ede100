import type { TAgent, TChatThread, TTask } from "@mission-control/shared/rows";
import type { TLabsFeatures } from "../labs/labs-features.ts";
import { SETTINGS_PAGES } from "../settings/settings-pages.ts";
import { SECTIONS } from "../shell/sections.ts";
import { STATUS_LABELS } from "../tasks/plan-task-move.ts";
import type { TPageIntent } from "./page-intents.ts";

/** What choosing an entry does: open an address, or one of the shell's own actions. */
export type TPaletteRun =
  | { kind: "go"; href: string }
  | { kind: "theme"; to: "dark" | "light" | "system" }
  | { kind: "recheck-connection" }
  | { kind: "sign-out" };

/** One line of the palette. */
export interface TPaletteEntry {
  /** Unique, and what the filter matches (with keywords): the label first, then what tells twins apart. */
  value: string;
  label: string;
  /** Shown dimmed on the right (a task's column, an agent's key…). */
  hint?: string;
  keywords?: string[];
  run: TPaletteRun;
}

/** A heading and its lines, in the order shown. */
export interface TPaletteGroup {
  heading: string;
  entries: TPaletteEntry[];
}

/** Everything the palette offers is read from this: the live store's rows and who is looking. */
export interface TPaletteInput {
  slug: string;
  canWrite: boolean;
  labs: TLabsFeatures;
  pendingApprovals: number;
  theme: "dark" | "light";
  themePreference: "system" | "dark" | "light";
  agents: readonly TAgent[];
  tasks: readonly TTask[];
  threads: readonly TChatThread[];
}

/** At most this many tasks are listed (the newest first): the palette stays quick in a large project. */
export const MAX_TASKS = 200;

/**
 * The palette's groups: actions first (what you came to do), then pages, agents, threads and tasks.
 * Actions an operator cannot take (a viewer creating a task) and labs pages that are off are left out.
 */
export function paletteEntries(input: TPaletteInput): TPaletteGroup[] {
  const base = `/p/${input.slug}`;
  const intent = (path: string, what: TPageIntent) => `${base}/${path}?do=${what}`;
  const actions: TPaletteEntry[] = [];
  if (input.canWrite) {
    actions.push({
      value: "New task",
      label: "New task",
      keywords: ["create", "add", "todo"],
      run: { kind: "go", href: intent("tasks", "new-task") },
    });
    actions.push({
      value: "Start a run",
      label: "Start a run",
      keywords: ["agent", "work", "ai"],
      run: { kind: "go", href: intent("runs", "start-run") },
    });
  }
  actions.push({
    value: "Open the approvals inbox",
    label: "Open the approvals inbox",
    hint: input.pendingApprovals > 0 ? `${input.pendingApprovals} waiting` : undefined,
    keywords: ["proposals", "review", "approve"],
    run: { kind: "go", href: `${base}/approvals` },
  });
  const other = input.theme === "dark" ? "light" : "dark";
  actions.push({
    value: `Switch to the ${other} theme`,
    label: `Switch to the ${other} theme`,
    keywords: ["theme", "dark", "light", "toggle", "mode"],
    run: { kind: "theme", to: other },
  });
  if (input.themePreference !== "system") {
    actions.push({
      value: "Follow the system theme",
      label: "Follow the system theme",
      keywords: ["theme", "auto", "os"],
      run: { kind: "theme", to: "system" },
    });
  }
  actions.push({
    value: "Check the connection now",
    label: "Check the connection now",
    keywords: ["live", "offline", "backup", "badge"],
    run: { kind: "recheck-connection" },
  });
  actions.push({ value: "Sign out", label: "Sign out", keywords: ["log out", "logout", "leave"], run: { kind: "sign-out" } });

  const pages: TPaletteEntry[] = SECTIONS.filter((section) => !section.labs || input.labs[section.labs]).map((section) => ({
    value: `${section.label} page`,
    label: section.label,
    keywords: ["page", "go"],
    run: { kind: "go", href: `${base}/${section.path}` },
  }));
  for (const page of SETTINGS_PAGES) {
    if (page.path === "") continue;
    pages.push({
      value: `Settings › ${page.label} page`,
      label: `Settings › ${page.label}`,
      keywords: ["settings"],
      run: { kind: "go", href: `${base}/settings${page.path}` },
    });
  }

  const agents: TPaletteEntry[] = input.agents.map((agent) => ({
    value: `${agent.display_name} agent ${agent.agent_key}`,
    label: agent.display_name,
    hint: agent.agent_key,
    keywords: ["agent", agent.role ?? ""].filter(Boolean),
    run: { kind: "go", href: `${base}/agents/${agent.agent_key}` },
  }));

  const threads: TPaletteEntry[] = [];
  if (input.labs.team_room) {
    threads.push({
      value: "Team Room thread",
      label: "Team Room",
      hint: "all agents",
      keywords: ["thread", "chat"],
      run: { kind: "go", href: `${base}/team-room` },
    });
  }
  if (input.labs.dms) {
    // One per agent, whether or not you have written yet: the DM opens either way.
    const named = new Map(input.agents.map((a) => [a.agent_key, a.display_name]));
    const keys = new Set([
      ...input.agents.map((a) => a.agent_key),
      ...input.threads.filter((t) => t.kind === "dm" && t.agent_key).map((t) => t.agent_key as string),
    ]);
    for (const key of keys) {
      threads.push({
        value: `DM with ${named.get(key) ?? key} thread ${key}`,
        label: `DM with ${named.get(key) ?? key}`,
        keywords: ["thread", "chat", "message", "direct"],
        run: { kind: "go", href: `${base}/dms?agent=${encodeURIComponent(key)}` },
      });
    }
  }

  const tasks: TPaletteEntry[] = [...input.tasks]
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
    .slice(0, MAX_TASKS)
    .map((task) => ({
      value: `${task.title} task ${task.id}`,
      label: task.title,
      hint: STATUS_LABELS[task.status],
      keywords: ["task", ...(task.assignee_agent_key ? [task.assignee_agent_key] : [])],
      run: { kind: "go", href: `${base}/tasks/${task.id}` },
    }));

  return [
    { heading: "Actions", entries: actions },
    { heading: "Pages", entries: pages },
    { heading: "Agents", entries: agents },
    { heading: "Threads", entries: threads },
    { heading: "Tasks", entries: tasks },
  ].filter((group) => group.entries.length > 0);
}
