import { countChatTokens, countTokens, truncateToTokens } from "../context/count-tokens.ts";
import { readVerbosity } from "../context/describe-verbosity.ts";
import { REFERENCED_DOCS_HEADER } from "../context/referenced-docs.ts";
import { composeBuiltinRevision } from "../proposals/compose-builtin-revision.ts";
import type { TChatMessage, TCompletionRequest, TCompletionResult } from "./provider-types.ts";

/** The model name the built-in provider reports (and the database's default `agents.model`). */
export const BUILTIN_MODEL = "builtin-offline";

/** Every built-in reply starts with this, so nobody mistakes it for a real model's answer. */
export const OFFLINE_MARKER = "[offline model]";

const SNIPPET_CHARS = 160;
const CHUNKS = 4;

const OPENERS = ["Got it", "Thanks for the message", "Noted", "Understood"] as const;
const QUESTION_LINES = [
  "You asked a question; a connected model would answer it here, using the project mission and my docs.",
  "That is a question I would normally answer from the mission and my docs.",
] as const;
const REQUEST_LINES = [
  "It reads like a request; a connected model would plan it and propose any risky step for your approval.",
  "I would turn that into concrete steps and ask for approval before anything risky.",
] as const;
const NOTE_LINES = [
  "I have recorded it in this conversation.",
  "It is in the thread, and I will pick it up once a model is connected.",
] as const;

/**
 * The deterministic offline model: no key, no network. The reply is a pure function of the
 * messages (same messages, same text), starts with "[offline model]", acknowledges the last user
 * message, names the agent when the system prompt says who it is ("You are Nova…", "Name: Nova"),
 * honours the verbosity instruction of the system prompt (concise: one short paragraph of one or
 * two sentences; detailed: also what it was given), streams through `onDelta` in a few pieces and
 * reports usage counted with the real tokenizer.
 */
export async function completeBuiltin(request: TCompletionRequest): Promise<TCompletionResult> {
  const startedAt = performance.now();
  request.signal?.throwIfAborted();
  let text = composeOfflineReply(request.messages);
  let finishReason: TCompletionResult["finishReason"] = "stop";
  let outputTokens = countTokens(text);
  if (request.maxOutputTokens !== undefined && outputTokens > request.maxOutputTokens) {
    text = truncateToTokens(text, request.maxOutputTokens);
    outputTokens = countTokens(text);
    finishReason = "length";
  }
  const wantsPieces = request.onDelta !== undefined && (request.stream ?? true);
  if (request.onDelta) {
    for (const piece of wantsPieces ? splitIntoPieces(text, CHUNKS) : [text]) {
      request.signal?.throwIfAborted();
      if (piece) request.onDelta(piece);
    }
  }
  return {
    text,
    model: BUILTIN_MODEL,
    provider: "builtin",
    usage: { inputTokens: countChatTokens(request.messages), outputTokens, estimated: false },
    finishReason,
    offline: true,
    latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    attempts: 0,
  };
}

/** Builds the offline reply text; exported for tests and for previews in the UI. */
export function composeOfflineReply(messages: readonly TChatMessage[]): string {
  const seed = hashMessages(messages);
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n");
  const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const agent = findAgentName(system);
  const intro = agent ? `${OFFLINE_MARKER} ${agent} here. ` : `${OFFLINE_MARKER} `;
  const opener = pick(OPENERS, seed);
  // A rejected proposal comes back with the operator's comment: answer with a revision.
  const revision = composeBuiltinRevision(lastUser);
  if (revision) return `${intro}${revision}`;
  const snippet = summarise(lastUser);
  if (!snippet) {
    return `${intro}${opener}. There is no message from you yet. I am running on the built-in offline model, so I can only acknowledge messages; add a provider in Settings → Providers and pick it on the agent's page for real answers.`;
  }
  const kind = /\?\s*$/.test(lastUser.trim()) ? QUESTION_LINES : isRequest(lastUser) ? REQUEST_LINES : NOTE_LINES;
  const words = lastUser.trim().split(/\s+/).length;
  const docsRead = describeDocsRead(system);
  const acknowledgement = `${intro}${opener}: "${snippet}" (${words} ${words === 1 ? "word" : "words"}).${docsRead ? ` ${docsRead}` : ""}`;
  const verbosity = readVerbosity(system);
  if (verbosity === "concise") return `${acknowledgement} ${CONCISE_OFFLINE_NOTE}`;
  const lines = [acknowledgement, pick(kind, seed >>> 3), OFFLINE_NOTE];
  if (verbosity === "detailed") lines.push(describeWhatIWasGiven(messages, system));
  return lines.join(" ");
}

const OFFLINE_NOTE =
  "I am running on the built-in offline model, so this is an acknowledgement rather than real reasoning: add a provider in Settings → Providers and pick it on the agent's page for real answers.";
const CONCISE_OFFLINE_NOTE =
  "(Built-in offline model: add a provider in Settings → Providers and pick it on the agent's page for real answers.)";

/** The detailed reply's last sentence: what the offline model had to work with. */
function describeWhatIWasGiven(messages: readonly TChatMessage[], system: string): string {
  const earlier = messages.filter((m) => m.role !== "system").length - 1;
  const parts = [`${earlier} earlier ${earlier === 1 ? "message" : "messages"} of this thread`];
  if (system.includes("# Project mission")) parts.push("the project mission");
  if (system.includes("# Your docs")) parts.push("my docs");
  if (system.includes("# Tools")) parts.push("my tool list");
  const last = parts.pop();
  return `To answer in detail I was given ${parts.length > 0 ? `${parts.join(", ")} and ${last}` : last}; a connected model would use all of it.`;
}

/**
 * Which referenced docs ("# Docs referenced in this message") the prompt carried, in one sentence:
 * "I read #runbook (Deploy runbook) and #notes (cut to fit).", plus those withheld or missing.
 * Empty when the message referenced none. Lets an operator see the feature work without a model.
 */
export function describeDocsRead(system: string): string {
  const start = system.indexOf(REFERENCED_DOCS_HEADER.trim());
  if (start === -1) return "";
  // Split on the section's own headings only: a doc's text may have "# headings" of its own.
  const section = system.slice(start);
  const read: string[] = [];
  const withheld: string[] = [];
  const missing: string[] = [];
  for (const block of section.split(/\n## (?=#)/).slice(1)) {
    const [head = "", ...rest] = block.split("\n");
    const match = /^(#[^\s:]+)(?::\s*(.+))?$/.exec(head.trim());
    if (!match?.[1]) continue;
    const body = rest.join("\n");
    const name = match[2] ? `${match[1]} (${match[2].trim()})` : match[1];
    if (body.startsWith("(withheld")) withheld.push(match[1]);
    else if (body.startsWith("(missing")) missing.push(match[1]);
    else read.push(/\[… #\S+ truncated to fit/.test(body) ? `${name}, cut to fit` : name);
  }
  const sentences: string[] = [];
  if (read.length > 0) sentences.push(`I read ${joinWords(read)}.`);
  if (withheld.length > 0)
    sentences.push(`${joinWords(withheld)} ${withheld.length === 1 ? "is" : "are"} another agent's doc, not shared with me.`);
  if (missing.length > 0) sentences.push(`${joinWords(missing)} no longer ${missing.length === 1 ? "exists" : "exist"}.`);
  return sentences.join(" ");
}

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function findAgentName(system: string): string | null {
  const named = /^\s*(?:name|agent(?: name)?)\s*:\s*([^\n]{1,40})$/im.exec(system);
  if (named?.[1]) return named[1].trim();
  // Case-sensitive on purpose: a name is capitalised ("You are Nova"), a description is not ("you are a helpful…").
  const name = /\b[Yy]ou are\s+(?:\*\*)?([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)/.exec(system)?.[1];
  if (!name || /^(A|An|The|Our|My|Your)\b/.test(name)) return null;
  return name;
}

function isRequest(text: string): boolean {
  return /^\s*(please|can you|could you|would you|let's|create|add|fix|write|make|update|review|plan|draft|check|run|schedule|send)\b/i.test(
    text,
  );
}

function summarise(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS - 1)}…` : flat;
}

function pick<T>(options: readonly T[], seed: number): T {
  return options[seed % options.length] as T;
}

/** FNV-1a over roles and contents: fast, stable across runs and machines. */
function hashMessages(messages: readonly TChatMessage[]): number {
  let hash = 0x811c9dc5;
  for (const message of messages) {
    const text = `${message.role}\u0000${message.content}\u0001`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0;
}

function splitIntoPieces(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const space = text.indexOf(" ", end);
    end = space === -1 || end === text.length ? text.length : space + 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
