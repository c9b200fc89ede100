import { describe, expect, it } from "vitest";
import { countChatTokens, countTokens } from "../context/count-tokens.ts";
import { appendVerbosity, readVerbosity, VERBOSITY_INSTRUCTIONS } from "../context/describe-verbosity.ts";
import { BUILTIN_MODEL, completeBuiltin, composeOfflineReply, OFFLINE_MARKER } from "./complete-builtin.ts";
import type { TChatMessage } from "./provider-types.ts";

const chat: TChatMessage[] = [
  { role: "system", content: "You are Nova, the research agent of Mission Control." },
  { role: "user", content: "Earlier message" },
  { role: "assistant", content: "Earlier reply" },
  { role: "user", content: "Can you summarise the open tasks for this week?" },
];

describe("completeBuiltin", () => {
  it("gives the same text for the same messages, every time", async () => {
    const first = await completeBuiltin({ model: "any", messages: chat });
    const second = await completeBuiltin({ model: "other", messages: chat.map((m) => ({ ...m })) });
    expect(second.text).toBe(first.text);
  });

  it("gives a different text when the last message differs", async () => {
    const other = [...chat.slice(0, 3), { role: "user" as const, content: "Please draft the release notes" }];
    expect(composeOfflineReply(other)).not.toBe(composeOfflineReply(chat));
  });

  it("says it is the offline model, names the agent and quotes the last user message", async () => {
    const result = await completeBuiltin({ model: "any", messages: chat });
    expect(result.text.startsWith(`${OFFLINE_MARKER} Nova here.`)).toBe(true);
    expect(result.text).toContain('"Can you summarise the open tasks for this week?"');
    expect(result.text).toContain("add a provider in Settings → Providers and pick it on the agent's page");
    expect(result).toMatchObject({ model: BUILTIN_MODEL, provider: "builtin", offline: true, finishReason: "stop", attempts: 0 });
  });

  it("does not mistake a description for a name", () => {
    const text = composeOfflineReply([
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "hi" },
    ]);
    expect(
      text.startsWith(`${OFFLINE_MARKER} Got`) ||
        text.startsWith(`${OFFLINE_MARKER} Thanks`) ||
        text.startsWith(`${OFFLINE_MARKER} No`) ||
        text.startsWith(`${OFFLINE_MARKER} Und`),
    ).toBe(true);
    expect(text).not.toContain("here.");
  });

  it("streams a few pieces through onDelta that add up to the text", async () => {
    const pieces: string[] = [];
    const result = await completeBuiltin({ model: "any", messages: chat, onDelta: (p) => pieces.push(p) });
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.length).toBeLessThanOrEqual(5);
    expect(pieces.join("")).toBe(result.text);
  });

  it("reports usage counted with the real tokenizer", async () => {
    const result = await completeBuiltin({ model: "any", messages: chat });
    expect(result.usage).toEqual({ inputTokens: countChatTokens(chat), outputTokens: countTokens(result.text), estimated: false });
  });

  it("stops at maxOutputTokens and says so in finishReason", async () => {
    const result = await completeBuiltin({ model: "any", messages: chat, maxOutputTokens: 10 });
    expect(result.usage.outputTokens).toBeLessThanOrEqual(10);
    expect(result.finishReason).toBe("length");
    expect(result.text.startsWith(OFFLINE_MARKER)).toBe(true);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(completeBuiltin({ model: "any", messages: chat, signal: controller.signal })).rejects.toBe(reason);
  });

  it("answers even when there is no user message", async () => {
    const result = await completeBuiltin({ model: "any", messages: [{ role: "system", content: "Name: Heartbeat" }] });
    expect(result.text).toContain("Heartbeat here.");
    expect(result.text).toContain("no message from you yet");
  });

  it("answers a rejected file_write with an acknowledgement and a revised proposal block", () => {
    const id = "0b7f5a52-3c1e-4a8e-9d43-2f0a3b9c1d11";
    const quote = { proposal_id: id, action_type: "file_write", params: { path: "plan.md", content: "v1" }, comment: "add v2" };
    const notice = `Proposal ${id} (file_write) was rejected by an operator.\nComment: add v2\n\`\`\`json\n${JSON.stringify(quote)}\n\`\`\``;
    const text = composeOfflineReply([...chat.slice(0, 1), { role: "user", content: notice }]);
    expect(text.startsWith(`${OFFLINE_MARKER} Nova here. Understood: I revised plan.md`)).toBe(true);
    expect(text).toContain('```proposal\n{"action_type":"file_write","params":{"path":"plan.md","content":"v1\\nadd v2\\n"}');
  });

  it("honours the verbosity instruction: concise is one short paragraph, detailed says more than normal", () => {
    const withVerbosity = (verbosity: "concise" | "normal" | "detailed") =>
      composeOfflineReply([
        { role: "system", content: appendVerbosity("You are Nova, the research agent.\n\n# Project mission\nShip it.", verbosity) },
        ...chat.slice(1),
      ]);
    const concise = withVerbosity("concise");
    const normal = withVerbosity("normal");
    const detailed = withVerbosity("detailed");
    expect(concise).toContain('"Can you summarise the open tasks for this week?"');
    expect(concise.split(/(?<=[.)])\s+/).length).toBeLessThanOrEqual(3);
    expect(concise.length).toBeLessThan(normal.length);
    expect(detailed.length).toBeGreaterThan(normal.length);
    expect(normal).toContain("built-in offline model");
    expect(detailed).toContain("2 earlier messages of this thread and the project mission");
  });
});

describe("verbosity instructions", () => {
  it("appends one sentence per verbosity and reads it back", () => {
    for (const verbosity of ["concise", "normal", "detailed"] as const) {
      const prompt = appendVerbosity("You are Nova.", verbosity);
      expect(prompt).toBe(`You are Nova.\n\n${VERBOSITY_INSTRUCTIONS[verbosity]}`);
      expect(readVerbosity(prompt)).toBe(verbosity);
    }
    expect(new Set(Object.values(VERBOSITY_INSTRUCTIONS)).size).toBe(3);
    expect(readVerbosity("You are Nova.")).toBeNull();
  });
});
