import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AGENT_TOOLS, type TActionProposalInput, type TChangesetInput } from "@mission-control/shared/schemas";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProvider } from "../../providers/create-provider.ts";
import type { TCompletionRequest, TProvider } from "../../providers/provider-types.ts";
import { requestBody, type TFakeToolScript, type TFakeToolServer } from "../../providers/testing/fake-tool-turns.ts";
import { startFakeAnthropicTools } from "../../providers/testing/start-fake-anthropic-tools.ts";
import { startFakeOpenAiTools } from "../../providers/testing/start-fake-openai-tools.ts";
import { recordingSleep } from "../../testing/start-fake-server.ts";
import { buildRunTools } from "./build-run-tools.ts";
import { runToolLoop, type TToolLoopOptions } from "./run-tool-loop.ts";
import type { THandOffInput, TToolbox, TToolLoopEvent, TToolLoopUsage } from "./tool-loop-types.ts";

const TASK_ID = "6f0c8f7e-4d7a-4c7e-9d55-2f1b8f0c1a11";

let workspace: string;
let server: TFakeToolServer | null = null;
let provider: TProvider | null = null;

beforeEach(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), "mc-loop-"));
  await fs.writeFile(path.join(workspace, "README.md"), "# Demo\nHello from the workspace.\n");
});

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = null;
  server = null;
  await fs.rm(workspace, { recursive: true, force: true });
});

/** A toolbox whose task and proposal handlers are spies answering fixed ids. */
function fakeToolbox(overrides: Partial<TToolbox> = {}) {
  const toolbox = {
    workspaceDir: workspace,
    readTask: vi.fn(async (taskId: string) =>
      taskId === TASK_ID ? { task: { id: TASK_ID, title: "Ship the runs page" }, events: [] } : null,
    ),
    listTasks: vi.fn(async () => [{ id: TASK_ID, title: "Ship the runs page", status: "in_progress" }]),
    proposeChangeset: vi.fn(async (_input: TChangesetInput) => ({
      changeset_id: "cs-1",
      proposal_id: "pr-cs-1",
      additions: 3,
      deletions: 1,
    })),
    proposeAction: vi.fn(async (_input: TActionProposalInput) => ({ proposal_id: "pr-action-1" })),
    handOff: vi.fn(async (_input: THandOffInput) => ({ run_id: "run-next" })),
    ...overrides,
  };
  return toolbox;
}

async function setUp(kind: "openai_compatible" | "anthropic", script: TFakeToolScript) {
  if (kind === "openai_compatible") {
    server = await startFakeOpenAiTools(script);
    provider = createProvider({ kind, baseUrl: server.baseUrl, apiKey: "sk-test" }, { sleep: recordingSleep().sleep });
  } else {
    server = await startFakeAnthropicTools(script);
    provider = createProvider({ kind, baseUrl: server.baseUrl, apiKey: "sk-ant-test" }, { sleep: recordingSleep().sleep });
  }
  return { server, provider };
}

function loopOptions(
  p: TProvider,
  overrides: Partial<TToolLoopOptions> & { events?: TToolLoopEvent[]; usage?: TToolLoopUsage[] } = {},
): TToolLoopOptions {
  const { events = [], usage = [], ...rest } = overrides;
  return {
    provider: p,
    settings: { model: "test-model", temperature: 0 },
    system: "You are Nova.\n\nRun mode: implement",
    messages: [{ role: "user", content: "Goal (implement run, iteration 1):\nTidy the README" }],
    tools: buildRunTools(AGENT_TOOLS, { mode: "implement" }),
    toolbox: fakeToolbox(),
    maxSteps: 12,
    signal: new AbortController().signal,
    onEvent: (event) => {
      events.push(event);
    },
    onUsage: (step) => {
      usage.push(step);
    },
    ...rest,
  };
}

const toolNames = (body: unknown) =>
  ((body as { tools?: { function?: { name: string }; name?: string }[] }).tools ?? []).map((t) => t.function?.name ?? t.name);

describe("runToolLoop with an OpenAI-compatible provider", () => {
  it("hands the work to another agent with hand_off: the handler runs once and the loop ends without another model call", async () => {
    const { server, provider } = await setUp("openai_compatible", [
      {
        text: "This is SQL work; passing it on.",
        toolCalls: [
          { id: "call_hand", name: "hand_off", arguments: { to_agent_key: "backend", note: "The migration needs an index on run_id." } },
          { id: "call_after", name: "read_file", arguments: { path: "README.md" } },
        ],
      },
      { text: "never asked for" },
    ]);
    const events: TToolLoopEvent[] = [];
    const toolbox = fakeToolbox();
    const result = await runToolLoop(loopOptions(provider, { events, toolbox }));
    expect(result).toMatchObject({ outcome: "handed_off", finalText: "This is SQL work; passing it on.", steps: 1 });
    expect(server.requests).toHaveLength(1);
    expect(toolbox.handOff).toHaveBeenCalledTimes(1);
    expect(toolbox.handOff).toHaveBeenCalledWith(
      { to_agent_key: "backend", note: "The migration needs an index on run_id." },
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
    expect(events.map((event) => [event.kind, event.summary])).toEqual([
      ["message", "This is SQL work; passing it on."],
      ["tool_call", "Handed the work to @backend"],
    ]);
  });

  it("does not offer hand_off to an agent that does not have it", async () => {
    const { server, provider } = await setUp("openai_compatible", [{ text: "Done." }]);
    await runToolLoop(loopOptions(provider, { tools: buildRunTools(["read_file"], { mode: "implement" }) }));
    expect(toolNames(requestBody(server, 0))).toEqual(["read_file"]);
  });

  it("runs read-only tools in the workspace and sends their results in the next request", async () => {
    const { server, provider } = await setUp("openai_compatible", [
      {
        text: "Reading first.",
        toolCalls: [
          { id: "call_read", name: "read_file", arguments: { path: "README.md" } },
          { id: "call_list", name: "list_files", arguments: {} },
          { id: "call_task", name: "read_task", arguments: { task_id: TASK_ID } },
        ],
        usage: { input: 120, output: 30 },
      },
      { text: "The README greets the workspace. Nothing to change.", usage: { input: 300, output: 12 } },
    ]);
    const events: TToolLoopEvent[] = [];
    const usage: TToolLoopUsage[] = [];
    const toolbox = fakeToolbox();
    const result = await runToolLoop(loopOptions(provider, { events, usage, toolbox }));

    expect(result).toMatchObject({
      outcome: "answered",
      finalText: "The README greets the workspace. Nothing to change.",
      steps: 2,
      usage: { inputTokens: 420, outputTokens: 42, estimated: false },
      proposals: [],
    });
    expect(server.requests).toHaveLength(2);
    const second = requestBody<{ messages: { role: string; tool_call_id?: string; content: string }[] }>(server, 1).messages;
    const results = second.filter((message) => message.role === "tool");
    expect(results.map((message) => message.tool_call_id)).toEqual(["call_read", "call_list", "call_task"]);
    expect(results[0]?.content).toContain("1\t# Demo\n2\tHello from the workspace.");
    expect(results[1]?.content).toContain("README.md (");
    expect(results[2]?.content).toContain("Ship the runs page");
    expect(toolbox.readTask).toHaveBeenCalledWith(TASK_ID, expect.objectContaining({ signal: expect.any(AbortSignal) }));
    expect(events.map((event) => [event.kind, event.summary])).toEqual([
      ["message", "Reading first."],
      ["read_file", "Read README.md (2 lines)"],
      ["tool_call", "Listed the workspace (1 file, 0 folders)"],
      ["tool_call", 'Read task "Ship the runs page"'],
      ["message", "The README greets the workspace."],
    ]);
    expect(events[1]?.data).toMatchObject({ path: "README.md", bytes: 33, lines: 2 });
    expect(events[2]?.data).toMatchObject({ tool: "list_files", ok: true, arguments: {} });
    expect(usage.map((step) => [step.step, step.inputTokens, step.outputTokens])).toEqual([
      [1, 120, 30],
      [2, 300, 12],
    ]);
  });

  it("turns write tools into proposals through the injected handlers, executes nothing, and stops at the changeset", async () => {
    const changeset = {
      summary: "Rewrite the README",
      files: [{ path: "README.md", new_content: "# Demo\nRewritten.\n", rationale: "clearer" }],
    };
    const { server, provider } = await setUp("openai_compatible", [
      {
        toolCalls: [
          { name: "create_task", arguments: { title: "Write the docs", priority: "high", summary: "Create a docs task", risk: "low" } },
        ],
      },
      {
        text: "Proposing the README change.",
        toolCalls: [
          { name: "propose_changeset", arguments: changeset },
          { name: "read_file", arguments: { path: "README.md" } },
        ],
      },
      { text: "never asked" },
    ]);
    const events: TToolLoopEvent[] = [];
    const toolbox = fakeToolbox();
    const result = await runToolLoop(loopOptions(provider, { events, toolbox }));

    expect(result).toMatchObject({
      outcome: "proposed_changeset",
      finalText: "Proposing the README change.",
      steps: 2,
      proposals: [
        { tool: "create_task", proposal_id: "pr-action-1", changeset_id: null },
        { tool: "propose_changeset", proposal_id: "pr-cs-1", changeset_id: "cs-1" },
      ],
    });
    expect(toolbox.proposeAction).toHaveBeenCalledTimes(1);
    expect(vi.mocked(toolbox.proposeAction).mock.calls[0]?.[0]).toEqual({
      action_type: "create_task",
      params: { title: "Write the docs", priority: "high" },
      summary: "Create a docs task",
      risk: "low",
      reversibility: "reversible",
    });
    expect(toolbox.proposeChangeset).toHaveBeenCalledTimes(1);
    expect(vi.mocked(toolbox.proposeChangeset).mock.calls[0]?.[0]).toEqual({
      summary: "Rewrite the README",
      risk: "low",
      files: [{ path: "README.md", new_content: "# Demo\nRewritten.\n", rationale: "clearer", risk_notes: "" }],
    });
    // Nothing was written, the read after the proposal did not run, and the model was not asked again.
    expect(await fs.readFile(path.join(workspace, "README.md"), "utf8")).toBe("# Demo\nHello from the workspace.\n");
    expect(server.requests).toHaveLength(2);
    expect(events.filter((event) => event.kind === "read_file")).toEqual([]);
    expect(events.find((event) => event.kind === "propose_changeset")).toEqual({
      kind: "propose_changeset",
      summary: "Proposed a changeset of 1 file (+3 −1): Rewrite the README",
      data: { changeset_id: "cs-1", proposal_id: "pr-cs-1", files: 1, additions: 3, deletions: 1 },
    });
    expect(events.find((event) => event.kind === "tool_call")).toMatchObject({
      summary: "Proposed create_task: Create a docs task (waits for approval)",
      data: { tool: "create_task", ok: true, proposal_id: "pr-action-1" },
    });
  });

  it("offers only the enabled tools and answers a call to any other tool with an error, never running it", async () => {
    const { server, provider } = await setUp("openai_compatible", [
      {
        toolCalls: [
          { id: "c1", name: "search_text", arguments: { query: "Hello" } },
          { id: "c2", name: "create_task", arguments: { title: "x", summary: "x" } },
        ],
      },
      { text: "I only have read_file." },
    ]);
    const toolbox = fakeToolbox();
    const events: TToolLoopEvent[] = [];
    const result = await runToolLoop(loopOptions(provider, { tools: buildRunTools(["read_file", "not_a_tool"]), toolbox, events }));

    expect(toolNames(server.requests[0]?.body)).toEqual(["read_file"]);
    expect(result.outcome).toBe("answered");
    expect(toolbox.proposeAction).not.toHaveBeenCalled();
    const results = requestBody<{ messages: { role: string; content: string }[] }>(server, 1).messages.filter((m) => m.role === "tool");
    expect(results.map((message) => message.content)).toEqual([
      "Error: There is no tool named search_text in this run. The tools offered are: read_file.",
      "Error: There is no tool named create_task in this run. The tools offered are: read_file.",
    ]);
    expect(events.filter((event) => event.kind === "tool_call").map((event) => [event.summary, event.data.ok])).toEqual([
      ["Refused a call to search_text: the tool is not offered to this agent", false],
      ["Refused a call to create_task: the tool is not offered to this agent", false],
    ]);
  });

  it("answers invalid arguments, arguments that are not JSON and a failing handler with errors the model can act on", async () => {
    const { server, provider } = await setUp("openai_compatible", [
      {
        toolCalls: [
          { id: "bad_json", name: "read_file", arguments: '{"path": ' },
          { id: "bad_args", name: "read_file", arguments: { path: "../etc/passwd", max_lines: 0 } },
          { id: "escape", name: "list_files", arguments: { path: ".mission-control" } },
          { id: "refused", name: "send_message", arguments: { thread_key: "team-room", content: "hi", summary: "Say hi" } },
        ],
      },
      { text: "Understood." },
    ]);
    const toolbox = fakeToolbox({
      proposeAction: vi.fn(async () => {
        throw new Error("send_message is above this agent's risk tolerance");
      }),
    });
    const result = await runToolLoop(loopOptions(provider, { toolbox }));
    expect(result.outcome).toBe("answered");
    const results = requestBody<{ messages: { role: string; content: string }[] }>(server, 1).messages.filter((m) => m.role === "tool");
    expect(results[0]?.content).toMatch(/^Error: The arguments of read_file were not valid JSON \(.+\): call read_file again/);
    expect(results[1]?.content).toBe(
      "Error: Invalid arguments for read_file: path: a relative path inside the workspace, without ..; max_lines: Too small: expected number to be >=1. Fix them and call read_file again.",
    );
    expect(results[2]?.content).toBe(
      "Error: .mission-control is the executor's own state (.mission-control/): it is never read, listed or searched",
    );
    expect(results[3]?.content).toBe("Error: send_message is above this agent's risk tolerance");
  });

  it("stops at the step cap with a note when the model keeps calling tools", async () => {
    const { server, provider } = await setUp("openai_compatible", [{ toolCalls: [{ name: "list_files", arguments: {} }] }]);
    const events: TToolLoopEvent[] = [];
    const result = await runToolLoop(loopOptions(provider, { maxSteps: 3, events }));
    expect(result.outcome).toBe("step_cap");
    expect(result.steps).toBe(3);
    expect(result.finalText).toContain("Stopped after 3 model steps (the run's step cap)");
    expect(server.requests).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ kind: "message", summary: "Stopped at the step cap", data: { max_steps: 3 } });
  });

  it("rethrows a handler error the caller marks as fatal", async () => {
    const { provider } = await setUp("openai_compatible", [
      { toolCalls: [{ name: "create_task", arguments: { title: "t", summary: "s" } }] },
    ]);
    const fatal = new Error("run is cancelled");
    const toolbox = fakeToolbox({
      proposeAction: vi.fn(async () => {
        throw fatal;
      }),
    });
    await expect(runToolLoop(loopOptions(provider, { toolbox, isFatalError: (err) => err === fatal }))).rejects.toBe(fatal);
  });

  it("rethrows a provider failure", async () => {
    const { provider } = await setUp("openai_compatible", [{ status: 400, error: "model not found" }]);
    await expect(runToolLoop(loopOptions(provider))).rejects.toMatchObject({ code: "provider_bad_response" });
  });
});

describe("runToolLoop cancellation", () => {
  it("aborts the request in flight (the server sees the connection close) and runs no handler afterwards", async () => {
    const { server, provider } = await setUp("openai_compatible", [
      { toolCalls: [{ name: "read_file", arguments: { path: "README.md" } }] },
      { hang: true },
    ]);
    const controller = new AbortController();
    const toolbox = fakeToolbox();
    const events: TToolLoopEvent[] = [];
    const done = runToolLoop(loopOptions(provider, { signal: controller.signal, toolbox, events }));
    await server.waitForRequest(2);
    controller.abort(new Error("Cancelled by the operator"));
    const result = await done;
    await server.clientAborted;
    expect(result).toMatchObject({ outcome: "cancelled", steps: 1, finalText: "Cancelled after 1 step: Cancelled by the operator" });
    expect(events.map((event) => event.kind)).toEqual(["read_file"]);
    expect(server.requests).toHaveLength(2);
    expect(toolbox.proposeAction).not.toHaveBeenCalled();
    expect(toolbox.proposeChangeset).not.toHaveBeenCalled();
  });

  it("drops the tool calls of a reply that arrives once the run is cancelled", async () => {
    const { provider } = await setUp("openai_compatible", [
      { text: "Proposing now.", toolCalls: [{ name: "create_task", arguments: { title: "t", summary: "s" } }] },
    ]);
    const controller = new AbortController();
    const toolbox = fakeToolbox();
    const result = await runToolLoop(
      loopOptions(provider, {
        signal: controller.signal,
        toolbox,
        // The cancel lands while the reply is being recorded, before its tool calls run.
        onUsage: () => controller.abort(new Error("Cancelled")),
      }),
    );
    expect(result.outcome).toBe("cancelled");
    expect(toolbox.proposeAction).not.toHaveBeenCalled();
  });

  it("runs no further handler of the same step once a handler saw the cancel", async () => {
    const { provider } = await setUp("openai_compatible", [
      {
        toolCalls: [
          { name: "create_task", arguments: { title: "first", summary: "s" } },
          { name: "create_task", arguments: { title: "second", summary: "s" } },
        ],
      },
    ]);
    const controller = new AbortController();
    const toolbox = fakeToolbox({
      proposeAction: vi.fn(async () => {
        controller.abort(new Error("Cancelled"));
        return { proposal_id: "pr-1" };
      }),
    });
    const result = await runToolLoop(loopOptions(provider, { signal: controller.signal, toolbox }));
    expect(result.outcome).toBe("cancelled");
    expect(toolbox.proposeAction).toHaveBeenCalledTimes(1);
  });

  it("calls nothing when the signal aborted before the loop started", async () => {
    const { server, provider } = await setUp("openai_compatible", [{ text: "never" }]);
    const controller = new AbortController();
    controller.abort();
    const result = await runToolLoop(loopOptions(provider, { signal: controller.signal }));
    expect(result).toMatchObject({ outcome: "cancelled", steps: 0 });
    expect(server.requests).toHaveLength(0);
  });
});

describe("runToolLoop with Anthropic", () => {
  it("runs read-only tools, sends tool_result blocks and turns a write tool into a proposal", async () => {
    const { server, provider } = await setUp("anthropic", [
      { text: "Let me search.", toolCalls: [{ id: "toolu_s", name: "search_text", arguments: { query: "hello" } }] },
      { toolCalls: [{ id: "toolu_bad", name: "read_file", arguments: { path: "missing.md" } }] },
      {
        toolCalls: [
          { id: "toolu_cs", name: "propose_changeset", arguments: { summary: "Say hi", files: [{ path: "hi.txt", new_content: "hi\n" }] } },
        ],
      },
    ]);
    const toolbox = fakeToolbox();
    const result = await runToolLoop(
      loopOptions(provider, { toolbox, tools: buildRunTools(["search_text", "read_file", "apply_changeset"]) }),
    );

    expect(result.outcome).toBe("proposed_changeset");
    expect(toolNames(server.requests[0]?.body)).toEqual(["read_file", "search_text", "propose_changeset"]);
    const firstTools = requestBody<{ tools: { input_schema: Record<string, unknown> }[] }>(server, 0).tools;
    expect(firstTools[0]?.input_schema).toMatchObject({ type: "object", required: ["path"] });
    expect(firstTools[0]?.input_schema).not.toHaveProperty("$schema");
    type TSent = { messages: { role: string; content: { type: string; content?: string }[] }[] };
    const second = requestBody<TSent>(server, 1).messages.at(-1);
    expect(second?.role).toBe("user");
    expect(second?.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_s", is_error: false });
    expect(second?.content[0]?.content).toContain("README.md:2: Hello from the workspace.");
    const third = requestBody<{ messages: { content: unknown[] }[] }>(server, 2).messages.at(-1);
    expect(third?.content[0]).toEqual({ type: "tool_result", tool_use_id: "toolu_bad", content: "No file at missing.md", is_error: true });
    expect(toolbox.proposeChangeset).toHaveBeenCalledWith(
      { summary: "Say hi", risk: "low", files: [{ path: "hi.txt", new_content: "hi\n", rationale: "", risk_notes: "" }] },
      expect.anything(),
    );
    await expect(fs.stat(path.join(workspace, "hi.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("aborts a hanging request on cancel", async () => {
    const { server, provider } = await setUp("anthropic", [{ hang: true }]);
    const controller = new AbortController();
    const done = runToolLoop(loopOptions(provider, { signal: controller.signal }));
    await server.waitForRequest(1);
    controller.abort();
    expect((await done).outcome).toBe("cancelled");
    await server.clientAborted;
  });
});

describe("runToolLoop with a provider that cannot call tools", () => {
  it("asks once for a plain completion of the transcript", async () => {
    const complete = vi.fn(async (request: TCompletionRequest) => ({
      text: `Answered ${request.messages.length} messages`,
      model: "cli",
      provider: "cli" as const,
      usage: { inputTokens: 5, outputTokens: 3, estimated: true },
      finishReason: "stop" as const,
      offline: false,
      latencyMs: 1,
      attempts: 1,
    }));
    const cli: TProvider = { kind: "cli", complete, close: async () => {} };
    const usage: TToolLoopUsage[] = [];
    const result = await runToolLoop(loopOptions(cli, { usage }));
    expect(result).toMatchObject({
      outcome: "answered",
      finalText: "Answered 2 messages",
      steps: 1,
      usage: { inputTokens: 5, estimated: true },
    });
    expect(complete).toHaveBeenCalledTimes(1);
    expect(complete.mock.calls[0]?.[0].messages[0]).toEqual({ role: "system", content: "You are Nova.\n\nRun mode: implement" });
    expect(usage).toHaveLength(1);
  });
});
