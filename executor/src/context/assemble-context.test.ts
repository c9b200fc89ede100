import { AppError } from "@mission-control/shared/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assembleContext, MISSION_TRUNCATED_MARKER, type TAssembleContextInput, type TThreadMessage } from "./assemble-context.ts";
import { countChatTokens } from "./count-tokens.ts";

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(" ");

function base(overrides: Partial<TAssembleContextInput> = {}): TAssembleContextInput {
  return {
    agentKey: "nova",
    systemPrompt: "You are Nova, the research agent.",
    mission: "Ship the control room by Friday.",
    docs: [
      { title: "Style", content: "Short answers." },
      { title: "Glossary", content: "Delivery: a queued chat message." },
    ],
    history: [
      { author: "user", content: "Hi Nova" },
      { author: "nova", content: "Hello!" },
      { author: "atlas", content: "I will take the tests." },
    ],
    tools: ["create_task: add a card to the board", "send_message: post in a thread"],
    newMessage: { author: "user", content: "What is left to do?" },
    maxContextTokens: 8000,
    reserveOutputTokens: 1000,
    ...overrides,
  };
}

function sumOfParts(b: ReturnType<typeof assembleContext>["breakdown"]): number {
  return b.systemPrompt + b.mission + b.docs + b.history + b.tools + b.newMessage;
}

function longHistory(count: number): TThreadMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    author: i % 2 === 0 ? "user" : "nova",
    content: `message ${i}: ${words(40, `w${i}x`)}`,
  }));
}

describe("assembleContext", () => {
  it("puts system prompt, mission, docs and tools in one system message, then the thread, then the new message", () => {
    const result = assembleContext(base());
    expect(result.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "user"]);
    const system = result.messages[0]?.content ?? "";
    expect(system.startsWith("You are Nova, the research agent.")).toBe(true);
    expect(system).toContain("# Project mission\nShip the control room by Friday.");
    expect(system).toContain("## Glossary\nDelivery: a queued chat message.");
    expect(system).toContain("# Tools\n- create_task: add a card to the board");
    expect(result.messages[3]?.content).toBe("[atlas] I will take the tests.");
    expect(result.messages.at(-1)).toEqual({ role: "user", content: "What is left to do?" });
    expect(result.trimmedMessages).toBe(0);
    expect(result.notes).toEqual([]);
    expect(result.budget).toBe(7000);
  });

  it("reports a breakdown whose total is the sum of the parts and matches the real prompt size", () => {
    const result = assembleContext(base());
    expect(result.breakdown.total).toBe(sumOfParts(result.breakdown));
    for (const part of ["systemPrompt", "mission", "docs", "history", "tools", "newMessage"] as const)
      expect(result.breakdown[part]).toBeGreaterThan(0);
    // Parts are counted apart, so the sum may exceed the joined prompt by a token per section boundary, never undercount it here.
    const actual = countChatTokens(result.messages);
    expect(result.breakdown.total).toBeGreaterThanOrEqual(actual);
    expect(result.breakdown.total - actual).toBeLessThanOrEqual(6);
  });

  it("drops the oldest history first and keeps the newest messages in order", () => {
    const history = longHistory(30);
    const result = assembleContext(base({ history, maxContextTokens: 1500, reserveOutputTokens: 500 }));
    expect(result.trimmedMessages).toBeGreaterThan(0);
    expect(result.trimmedMessages).toBeLessThan(30);
    const kept = result.messages.slice(1, -1).map((m) => m.content);
    expect(kept).toEqual(history.slice(result.trimmedMessages).map((m) => m.content));
    expect(result.breakdown.total).toBeLessThanOrEqual(result.budget);
    expect(result.trimmedDocs).toEqual([]);
    expect(result.missionTruncated).toBe(false);
    expect(result.notes[0]).toContain(`${result.trimmedMessages} oldest message(s)`);
  });

  it("drops docs, last one first, only when they do not fit even without any history", () => {
    const docs = [
      { title: "First", content: words(200, "a") },
      { title: "Second", content: words(200, "b") },
      { title: "Third", content: words(200, "c") },
    ];
    const withHistory = assembleContext(base({ docs, history: longHistory(5), maxContextTokens: 1000, reserveOutputTokens: 200 }));
    const withoutHistory = assembleContext(base({ docs, history: [], maxContextTokens: 1000, reserveOutputTokens: 200 }));
    expect(withHistory.trimmedDocs).toEqual(["Third", "Second"]);
    expect(withoutHistory.trimmedDocs).toEqual(["Third", "Second"]);
    expect(withHistory.messages[0]?.content).toContain("## First");
    expect(withHistory.messages[0]?.content).not.toContain("## Second");
    expect(withHistory.trimmedMessages).toBeGreaterThanOrEqual(1);
    expect(withHistory.missionTruncated).toBe(false);
    expect(withHistory.breakdown.total).toBeLessThanOrEqual(withHistory.budget);
  });

  it("truncates the mission with a marker as a last resort, keeping the system prompt and new message whole", () => {
    const mission = words(2000, "m");
    const newMessage = { author: "user", content: "Please plan the next sprint." };
    const result = assembleContext(base({ mission, newMessage, maxContextTokens: 1200, reserveOutputTokens: 200 }));
    expect(result.missionTruncated).toBe(true);
    expect(result.trimmedDocs).toEqual(["Glossary", "Style"]);
    const system = result.messages[0]?.content ?? "";
    expect(system.startsWith("You are Nova, the research agent.")).toBe(true);
    expect(system).toContain(MISSION_TRUNCATED_MARKER.trim());
    expect(system).toContain("m0 m1 m2");
    expect(result.messages.at(-1)?.content).toBe(newMessage.content);
    expect(result.breakdown.total).toBeLessThanOrEqual(result.budget);
    expect(result.breakdown.total).toBeGreaterThan(result.budget - 20);
    expect(result.notes.some((note) => note.startsWith("Cut the mission"))).toBe(true);
  });

  it("refuses with invalid_input when the system prompt and new message alone exceed the budget", () => {
    const attempt = () => assembleContext(base({ systemPrompt: words(900, "s"), maxContextTokens: 1000, reserveOutputTokens: 200 }));
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/raise its max context tokens/);
  });

  it("refuses with config_invalid when the output reserve leaves no budget", () => {
    try {
      assembleContext(base({ maxContextTokens: 1000, reserveOutputTokens: 1000 }));
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe("config_invalid");
    }
  });

  it("omits the system message when there is nothing to put in it", () => {
    const result = assembleContext(base({ systemPrompt: "", mission: "", docs: [], tools: [], history: [] }));
    expect(result.messages).toEqual([{ role: "user", content: "What is left to do?" }]);
    expect(result.breakdown.systemPrompt).toBe(0);
    expect(result.breakdown.total).toBe(result.breakdown.newMessage);
  });

  it("stays within budget and sums its parts for any input that fits at all", () => {
    const text = fc.string({ maxLength: 400 });
    fc.assert(
      fc.property(
        text,
        text,
        fc.array(fc.record({ title: fc.string({ maxLength: 20 }), content: text }), { maxLength: 4 }),
        fc.array(fc.record({ author: fc.constantFrom("user", "nova", "atlas"), content: text }), { maxLength: 30 }),
        fc.string({ maxLength: 100 }),
        fc.integer({ min: 600, max: 3000 }),
        (systemPrompt, mission, docs, history, newText, maxContextTokens) => {
          let result: ReturnType<typeof assembleContext>;
          try {
            result = assembleContext(
              base({
                systemPrompt,
                mission,
                docs,
                history,
                newMessage: { author: "user", content: newText },
                maxContextTokens,
                reserveOutputTokens: 300,
              }),
            );
          } catch (err) {
            expect((err as AppError).code).toBe("invalid_input");
            return;
          }
          expect(result.breakdown.total).toBe(sumOfParts(result.breakdown));
          expect(result.breakdown.total).toBeLessThanOrEqual(result.budget);
          expect(result.messages.at(-1)?.content).toBe(newText);
          expect(result.messages.length).toBe(
            history.length - result.trimmedMessages + 1 + (result.messages[0]?.role === "system" ? 1 : 0),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
