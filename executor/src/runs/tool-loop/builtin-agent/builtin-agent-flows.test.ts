import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AGENT_TOOLS, type TActionProposalInput, type TChangesetInput, type TRunMode } from "@mission-control/shared/schemas";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProvider } from "../../../providers/create-provider.ts";
import { buildRunSystemPrompt } from "../build-run-system-prompt.ts";
import { buildRunTools } from "../build-run-tools.ts";
import { runToolLoop } from "../run-tool-loop.ts";
import type { TToolLoopEvent } from "../tool-loop-types.ts";

let workspace: string;

beforeEach(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-builtin-"));
  await fs.mkdir(path.join(workspace, "docs"));
  await fs.mkdir(path.join(workspace, "src"));
  await fs.writeFile(path.join(workspace, "README.md"), "# Demo project\n");
  await fs.writeFile(path.join(workspace, "docs", "usage.md"), "# Usage\n\nRun it.\n");
});

afterEach(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

/** Runs the built-in model through the loop as the run worker does: system prompt with the mode, the brief as the opening message. */
async function runBuiltin(input: { mode: TRunMode; goal: string; tools?: readonly string[]; brief?: string }) {
  const provider = createProvider({ kind: "builtin" });
  const tools = buildRunTools(input.tools ?? AGENT_TOOLS, { mode: input.mode });
  const changesets: TChangesetInput[] = [];
  const actions: TActionProposalInput[] = [];
  const events: TToolLoopEvent[] = [];
  const toolbox = {
    workspaceDir: workspace,
    readTask: vi.fn(async () => null),
    listTasks: vi.fn(async () => []),
    proposeChangeset: vi.fn(async (changeset: TChangesetInput) => {
      changesets.push(changeset);
      return { changeset_id: "cs-1", proposal_id: "pr-1" };
    }),
    proposeAction: vi.fn(async (action: TActionProposalInput) => {
      actions.push(action);
      return { proposal_id: "pr-2" };
    }),
    handOff: vi.fn(async () => ({ run_id: "run-next" })),
  };
  const result = await runToolLoop({
    provider,
    settings: { model: "builtin-offline" },
    system: buildRunSystemPrompt({ agentPrompt: "You are Nova, the backend agent.", mode: input.mode, tools, maxSteps: 12 }),
    messages: [{ role: "user", content: input.brief ?? `Goal (${input.mode} run, iteration 1):\n${input.goal}` }],
    tools,
    toolbox,
    maxSteps: 12,
    signal: new AbortController().signal,
    onEvent: (event) => {
      events.push(event);
    },
  });
  return { result, changesets, actions, events, toolbox };
}

const contentOf = (changeset: TChangesetInput | undefined, file: string) => changeset?.files.find((f) => f.path === file)?.new_content;

describe("the built-in scripted agent", () => {
  it("plans: lists the workspace, then answers a numbered plan", async () => {
    const { result, events, changesets } = await runBuiltin({ mode: "plan", goal: "Add a CHANGELOG entry for the runs page" });
    expect(result.outcome).toBe("answered");
    expect(result.steps).toBe(2);
    expect(events.map((event) => event.kind)).toEqual(["message", "tool_call", "message"]);
    expect(events[1]?.summary).toBe("Listed the workspace (1 file, 2 folders)");
    expect(result.finalText).toContain('[offline model] Plan for "Add a CHANGELOG entry for the runs page":');
    expect(result.finalText).toContain("1. Read the parts of the workspace this touches, starting from docs/, src/, README.md.");
    expect(result.finalText).toContain('2. Add an entry at the top of CHANGELOG.md: "The runs page."');
    expect(result.finalText).toMatch(/\n4\. Run the project's tests/);
    expect(changesets).toEqual([]);
  });

  it("plans without listing when list_files is not offered", async () => {
    const { result, events } = await runBuiltin({ mode: "plan", goal: "Refactor the billing module", tools: ["read_file"] });
    expect(result.steps).toBe(1);
    expect(events.map((event) => event.kind)).toEqual(["message"]);
    expect(result.finalText).toContain('2. Work out the concrete change "Refactor the billing module" needs');
  });

  it("adds a CHANGELOG entry at the top of an existing changelog", async () => {
    await fs.writeFile(path.join(workspace, "CHANGELOG.md"), "# Changelog\n\n## 1.0.0\n\n- First release.\n");
    const { result, changesets, events } = await runBuiltin({ mode: "implement", goal: "Add a CHANGELOG entry for the new runs page" });
    expect(result.outcome).toBe("proposed_changeset");
    expect(events.find((event) => event.kind === "read_file")?.summary).toBe("Read CHANGELOG.md (5 lines)");
    expect(changesets).toHaveLength(1);
    expect(changesets[0]).toMatchObject({ summary: "Add a CHANGELOG entry: The new runs page.", risk: "low" });
    expect(contentOf(changesets[0], "CHANGELOG.md")).toBe(
      "# Changelog\n\n## Unreleased\n\n- The new runs page.\n\n## 1.0.0\n\n- First release.\n",
    );
  });

  it("creates CHANGELOG.md when it is missing", async () => {
    const brief = "Goal (implement run, iteration 1):\nAdd a CHANGELOG entry\n\nMention the offline agent.\n\nConstraints:\nKeep it short";
    const { result, changesets, events } = await runBuiltin({ mode: "implement", goal: "", brief });
    expect(result.outcome).toBe("proposed_changeset");
    expect(events.find((event) => event.kind === "tool_call")?.data).toMatchObject({ tool: "read_file", ok: false });
    expect(contentOf(changesets[0], "CHANGELOG.md")).toBe("# Changelog\n\n## Unreleased\n\n- Mention the offline agent.\n");
  });

  it("writes the files a goal names: new ones drafted, existing ones edited, quoted text used as content", async () => {
    const first = await runBuiltin({ mode: "implement", goal: "Create docs/intro.md and `src/greeting.ts` describing the offline agent" });
    expect(first.result.outcome).toBe("proposed_changeset");
    expect(first.events.filter((event) => event.kind === "tool_call").map((event) => event.summary)).toEqual([
      "read_file failed: No file at docs/intro.md",
      "read_file failed: No file at src/greeting.ts",
    ]);
    const changeset = first.changesets[0];
    expect(changeset?.files.map((file) => [file.path, file.rationale])).toEqual([
      ["docs/intro.md", "Creates docs/intro.md as the goal asks"],
      ["src/greeting.ts", "Creates src/greeting.ts as the goal asks"],
    ]);
    expect(contentOf(changeset, "docs/intro.md")).toMatch(/^# Intro\n\nThe offline agent\.\n\n_From the goal: "Create docs\/intro\.md/);
    expect(contentOf(changeset, "src/greeting.ts")).toMatch(
      /^\/\/ Greeting: The offline agent\.\n\/\/ Drafted by the built-in offline model/,
    );

    const edit = await runBuiltin({ mode: "implement", goal: "Update docs/usage.md about the run flow" });
    expect(edit.events.find((event) => event.kind === "read_file")?.summary).toBe("Read docs/usage.md (3 lines)");
    expect(contentOf(edit.changesets[0], "docs/usage.md")).toBe(
      '# Usage\n\nRun it.\n\nThe run flow. (From the goal: "Update docs/usage.md about the run flow".)\n',
    );

    const quoted = await runBuiltin({ mode: "implement", goal: 'Write hello.txt and notes/a.txt with the text "Hello, world"' });
    expect(quoted.changesets[0]?.files.map((file) => [file.path, file.new_content])).toEqual([
      ["hello.txt", "Hello, world\n"],
      ["notes/a.txt", "Hello, world\n"],
    ]);
  });

  it("adds a revision's review comments to the files they name", async () => {
    const brief = [
      "Goal (implement run, iteration 2):\nCreate notes.md",
      "Constraints:\nAddress the review",
      'Your previous changeset "Write notes.md" is revision requested.\nIts files:\n- notes.md (add, rejected)\nReview comments to address:\n- [revise] notes.md:1: Mention the deadline',
    ].join("\n\n");
    const { changesets } = await runBuiltin({ mode: "implement", goal: "", brief });
    expect(contentOf(changesets[0], "notes.md")).toMatch(/\n\nReview \(revise\): Mention the deadline\n$/);
  });

  it("proposes create_task for a request to create a task, then says so", async () => {
    const { result, actions } = await runBuiltin({ mode: "plan", goal: "Please create a task to update the onboarding docs" });
    expect(result).toMatchObject({ outcome: "answered", steps: 2, proposals: [{ tool: "create_task", proposal_id: "pr-2" }] });
    expect(actions).toEqual([
      {
        action_type: "create_task",
        params: {
          title: "Update the onboarding docs",
          description: "Please create a task to update the onboarding docs",
          priority: "normal",
        },
        summary: 'Create the task "Update the onboarding docs"',
        risk: "low",
        reversibility: "reversible",
      },
    ]);
    expect(result.finalText).toBe(
      '[offline model] I proposed a new task "Update the onboarding docs"; it appears on the board once an operator approves it.',
    );
  });

  it("never calls a tool that is not offered: it says which tool it lacks", async () => {
    const noChangeset = await runBuiltin({ mode: "implement", goal: "Add a CHANGELOG entry", tools: ["read_file", "list_files"] });
    expect(noChangeset.result).toMatchObject({ outcome: "answered", steps: 1 });
    expect(noChangeset.result.finalText).toContain("this run does not offer me the propose_changeset tool: enable apply_changeset");
    expect(noChangeset.toolbox.proposeChangeset).not.toHaveBeenCalled();

    const noTask = await runBuiltin({ mode: "implement", goal: "Create a task: fix the login page", tools: ["read_file"] });
    expect(noTask.result.finalText).toContain("does not offer me the create_task tool");
    expect(noTask.actions).toEqual([]);
  });

  it("answers what it would need for any other goal", async () => {
    const { result } = await runBuiltin({ mode: "implement", goal: "Make the API faster" });
    expect(result).toMatchObject({ outcome: "answered", steps: 1, proposals: [] });
    expect(result.finalText).toContain('I cannot do "Make the API faster" offline');
    expect(result.finalText).toContain("add a provider in Settings → Providers");
  });

  it("is deterministic: the same run gives the same transcript", async () => {
    const a = await runBuiltin({ mode: "implement", goal: "Create docs/intro.md" });
    const b = await runBuiltin({ mode: "implement", goal: "Create docs/intro.md" });
    expect(b.result.messages).toEqual(a.result.messages);
  });
});
