import { describe, expect, it } from "vitest";
import { composeOfflineReply, describeDocsRead } from "../providers/complete-builtin.ts";
import { assembleContext, type TAssembleContextInput } from "./assemble-context.ts";
import { countChatTokens } from "./count-tokens.ts";
import { REFERENCED_DOCS_HEADER, type TReferencedDoc } from "./referenced-docs.ts";

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(" ");

const runbook: TReferencedDoc = {
  id: "d1",
  ref: "runbook",
  title: "Deploy runbook",
  status: "included",
  content: "Deploy with `make ship` after the tests pass.",
};
const scoutMemory: TReferencedDoc = { id: "d2", ref: "scout/memory", title: "Scout memory", agent_key: "scout", status: "withheld" };
const gone: TReferencedDoc = { id: "d3", ref: "scratch", title: "Scratch", status: "missing" };

function input(overrides: Partial<TAssembleContextInput> = {}): TAssembleContextInput {
  return {
    agentKey: "builder",
    systemPrompt: "You are Builder, the build agent.",
    mission: "Ship the control room by Friday.",
    docs: [{ title: "Builder memory", content: "The cache key is v2." }],
    history: [{ author: "user", content: "Hi" }],
    tools: ["create_task: add a card"],
    newMessage: { author: "user", content: "Deploy it following #runbook" },
    maxContextTokens: 8000,
    reserveOutputTokens: 1000,
    ...overrides,
  };
}

describe("assembleContext with referenced docs", () => {
  it("puts each referenced doc's text in the system message, after the agent's docs, and says which were withheld or missing", () => {
    const result = assembleContext(input({ referencedDocs: [runbook, scoutMemory, gone] }));
    const system = result.messages[0]?.content ?? "";
    expect(system).toContain(`${REFERENCED_DOCS_HEADER.trim()}\nThe operator`.split("\n")[0] ?? "");
    expect(system).toContain("## #runbook: Deploy runbook\nDeploy with `make ship` after the tests pass.");
    expect(system.indexOf("## Builder memory")).toBeLessThan(system.indexOf("## #runbook"));
    expect(system).toContain("## #scout/memory: Scout memory\n(withheld: this is @scout's own doc");
    // A title that only repeats the name is not repeated.
    expect(system).toContain("## #scratch\n(missing:");
    expect(result.referencedDocs.map((d) => [d.ref, d.status])).toEqual([
      ["runbook", "included"],
      ["scout/memory", "withheld"],
      ["scratch", "missing"],
    ]);
    expect(result.breakdown.referencedDocs).toBeGreaterThan(0);
    expect(result.breakdown.total).toBeGreaterThanOrEqual(countChatTokens(result.messages));
    expect(result.notes).toEqual([]);
  });

  it("cuts a long referenced doc to half the budget with a marker and a note, and keeps the whole prompt in budget", () => {
    const long: TReferencedDoc = { ...runbook, content: words(6000, "step") };
    const result = assembleContext(input({ referencedDocs: [long, { ...runbook, id: "d4", ref: "notes", title: "Notes" }] }));
    const system = result.messages[0]?.content ?? "";
    expect(system).toMatch(/\[… #runbook truncated to fit the context window: about \d+ of \d+ tokens kept\]/);
    expect(result.referencedDocs.map((d) => [d.ref, d.status])).toEqual([
      ["runbook", "truncated"],
      ["notes", "left_out"],
    ]);
    expect(result.breakdown.referencedDocs).toBeLessThanOrEqual(Math.floor(result.budget / 2));
    expect(result.breakdown.total).toBeLessThanOrEqual(result.budget);
    expect(result.notes).toEqual([
      expect.stringMatching(/^Cut #runbook from \d+ to \d+ tokens to fit the 7000-token budget$/),
      "Left out #notes: no room for it in the 7000-token budget",
    ]);
    // The thread still fits next to it.
    expect(result.trimmedMessages).toBe(0);
  });

  it("drops the agent's own docs before cutting referenced docs further, then cuts them to fit", () => {
    const result = assembleContext(
      input({
        maxContextTokens: 600,
        reserveOutputTokens: 100,
        docs: [{ title: "Builder memory", content: words(300, "mem") }],
        referencedDocs: [{ ...runbook, content: words(400, "step") }],
      }),
    );
    expect(result.trimmedDocs).toEqual(["Builder memory"]);
    expect(result.referencedDocs[0]?.status).toBe("truncated");
    expect(result.breakdown.total).toBeLessThanOrEqual(result.budget);
    expect(result.messages[0]?.content).toContain("## #runbook: Deploy runbook\nstep0 step1");
  });
});

describe("the offline model and referenced docs", () => {
  it("names the docs it read, cut or not, and those withheld or missing", () => {
    const long: TReferencedDoc = { ...runbook, id: "d5", ref: "notes", title: "Notes", content: words(6000, "n") };
    const { messages } = assembleContext(input({ referencedDocs: [runbook, long, scoutMemory, gone] }));
    const reply = composeOfflineReply(messages);
    expect(reply).toContain(
      "I read #runbook (Deploy runbook) and #notes, cut to fit. #scout/memory is another agent's doc, not shared with me. #scratch no longer exists.",
    );
  });

  it("says nothing about docs when none were referenced, even when a doc has headings of its own", () => {
    expect(describeDocsRead("You are Builder.\n\n# Your docs\n## Memory\n# Heading")).toBe("");
    const { messages } = assembleContext(input({ referencedDocs: [{ ...runbook, content: "# Steps\n## #1 build\nship" }] }));
    expect(composeOfflineReply(messages)).toContain("I read #runbook (Deploy runbook).");
  });
});
