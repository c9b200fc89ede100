import { AppError } from "@mission-control/shared/errors";
import type { TChatMessage } from "../providers/provider-types.ts";
import { countTokens, MESSAGE_OVERHEAD_TOKENS, truncateToTokens } from "./count-tokens.ts";
import { fitReferencedDocs, type TFittedReferencedDocs, type TReferencedDoc, type TReferencedDocUse } from "./referenced-docs.ts";

/** One message of a thread: written by the operator (`"user"`) or by an agent (its agent key). */
export type TThreadMessage = { author: string; content: string };

/** One of the agent's own docs. */
export type TAgentDoc = { title: string; content: string };

/** Everything that may go into an agent's prompt. */
export type TAssembleContextInput = {
  /** The agent answering: its own history messages become `assistant` turns. */
  agentKey: string;
  systemPrompt: string;
  /** The project mission doc; included in every agent's context. */
  mission?: string;
  /** The agent's own docs, most important first (the last ones are dropped first). */
  docs?: readonly TAgentDoc[];
  /**
   * The docs the new message references ("#runbook"), in order, with their current text (see
   * load_referenced_docs). They get at most half the budget, then are cut after the agent's own docs.
   */
  referencedDocs?: readonly TReferencedDoc[];
  /** The thread so far, oldest first, without the new message. */
  history?: readonly TThreadMessage[];
  /** The tools the agent may use: a description, or one line per tool. */
  tools?: string | readonly string[];
  /** The message to answer. */
  newMessage: TThreadMessage;
  maxContextTokens: number;
  /** Tokens kept free for the reply. */
  reserveOutputTokens: number;
};

/** Tokens per part of the prompt; `total` is their sum. Stored as the agent's context usage. */
export type TContextBreakdown = {
  systemPrompt: number;
  mission: number;
  docs: number;
  /** The "Docs referenced in this message" section. */
  referencedDocs: number;
  history: number;
  tools: number;
  newMessage: number;
  total: number;
};

/** The prompt to send and what it costs. */
export type TAssembledContext = {
  messages: TChatMessage[];
  breakdown: TContextBreakdown;
  /** History messages left out (the oldest ones). */
  trimmedMessages: number;
  /** Titles of docs left out, in the order they were dropped (last doc first). */
  trimmedDocs: string[];
  missionTruncated: boolean;
  /** What became of each referenced doc (included, truncated, left out, withheld, missing), in order. */
  referencedDocs: TReferencedDocUse[];
  /** Tokens available for the prompt: maxContextTokens − reserveOutputTokens. */
  budget: number;
  /** What was cut and why, in words for the operator; empty when everything fitted. */
  notes: string[];
};

/** Appended to a mission that had to be cut. */
export const MISSION_TRUNCATED_MARKER = "\n[… mission truncated to fit the context window]";

/**
 * Builds the prompt for one reply: a system message (system prompt, mission, docs, the docs the
 * message references, tools) then the thread history and the new message. Referenced docs get at
 * most half the budget (cut with a marker beyond it). When the prompt does not fit
 * `maxContextTokens − reserveOutputTokens` it cuts, in order: the oldest history messages; then the
 * agent's docs (last first); then the referenced docs (the last ones first, each end marked); then
 * the end of the mission, marked. The system prompt, the tools and the new message are never cut: if they alone
 * do not fit, it throws `invalid_input` saying what to change.
 */
export function assembleContext(input: TAssembleContextInput): TAssembledContext {
  const budget = input.maxContextTokens - input.reserveOutputTokens;
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new AppError("config_invalid", {
      message: `The context budget is empty: maxContextTokens (${input.maxContextTokens}) must exceed the output reserve (${input.reserveOutputTokens}); raise maxContextTokens or lower maxOutputTokens`,
      details: { agentKey: input.agentKey },
    });
  }
  const notes: string[] = [];
  const systemPrompt = input.systemPrompt.trim();
  const missionText = input.mission?.trim() ?? "";
  const toolsText = typeof input.tools === "string" ? input.tools.trim() : (input.tools ?? []).map((tool) => `- ${tool}`).join("\n");
  const docs = (input.docs ?? []).filter((doc) => doc.content.trim() !== "");

  const sections = {
    systemPrompt: systemPrompt ? countTokens(systemPrompt) : 0,
    mission: missionText ? countTokens(missionSection(missionText)) : 0,
    tools: toolsText ? countTokens(toolsSection(toolsText)) : 0,
  };
  const referenced = input.referencedDocs ?? [];
  let refs: TFittedReferencedDocs = fitReferencedDocs(referenced, Math.floor(budget / 2), budget);
  const docHeaderTokens = countTokens(DOCS_HEADER);
  const docTokens = docs.map((doc) => countTokens(docSection(doc)));
  const newMessage = toChatMessage(input.newMessage, input.agentKey);
  const newMessageTokens = countTokens(newMessage.content) + MESSAGE_OVERHEAD_TOKENS;
  // The system message's overhead is charged to the system prompt part.
  const systemOverhead = MESSAGE_OVERHEAD_TOKENS;

  let keptDocs = docs.length;
  const docsTotal = () => (keptDocs === 0 ? 0 : docHeaderTokens + sum(docTokens, keptDocs));
  const fixedTotal = () =>
    systemOverhead + sections.systemPrompt + sections.mission + docsTotal() + refs.tokens + sections.tools + newMessageTokens;

  while (fixedTotal() > budget && keptDocs > 0) keptDocs -= 1;
  const trimmedDocs = docs
    .slice(keptDocs)
    .map((doc) => doc.title)
    .reverse();
  if (trimmedDocs.length > 0)
    notes.push(`Left out ${trimmedDocs.length} doc(s) to fit the ${budget}-token budget: ${trimmedDocs.join(", ")}`);
  if (fixedTotal() > budget && refs.tokens > 0) refs = fitReferencedDocs(referenced, refs.tokens - (fixedTotal() - budget), budget);
  notes.push(...refs.notes);

  let mission = missionText;
  let missionTruncated = false;
  if (fixedTotal() > budget && missionText) {
    const room = budget - (fixedTotal() - sections.mission);
    mission = fitMission(missionText, room);
    missionTruncated = true;
    const before = sections.mission;
    sections.mission = mission ? countTokens(missionSection(mission)) : 0;
    notes.push(
      mission
        ? `Cut the mission from ${before} to ${sections.mission} tokens to fit the ${budget}-token budget`
        : `Left out the mission: no room for it in the ${budget}-token budget`,
    );
  }
  if (fixedTotal() > budget) {
    throw new AppError("invalid_input", {
      message: `The system prompt (${sections.systemPrompt} tokens), tools (${sections.tools}) and the new message (${newMessageTokens}) alone exceed the ${budget}-token context budget of agent ${input.agentKey}: raise its max context tokens, shorten its system prompt, or send a shorter message`,
      details: {
        agentKey: input.agentKey,
        budget,
        systemPrompt: sections.systemPrompt,
        tools: sections.tools,
        newMessage: newMessageTokens,
      },
    });
  }

  // History: newest first until the first message that does not fit; older ones are left out too.
  const history = input.history ?? [];
  let room = budget - fixedTotal();
  let historyTokens = 0;
  let firstKept = history.length;
  const keptHistory: TChatMessage[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const message = toChatMessage(history[i] as TThreadMessage, input.agentKey);
    const cost = countTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
    if (cost > room) break;
    room -= cost;
    historyTokens += cost;
    keptHistory.push(message);
    firstKept = i;
  }
  keptHistory.reverse();
  const trimmedMessages = firstKept;
  if (trimmedMessages > 0)
    notes.unshift(`Left out the ${trimmedMessages} oldest message(s) of the thread to fit the ${budget}-token budget`);

  const systemContent = [
    systemPrompt,
    mission ? missionSection(mission) : "",
    keptDocs > 0 ? DOCS_HEADER + docs.slice(0, keptDocs).map(docSection).join("") : "",
    refs.text,
    toolsText ? toolsSection(toolsText) : "",
  ]
    .join("")
    .trimStart();
  const messages: TChatMessage[] = [];
  if (systemContent) messages.push({ role: "system", content: systemContent });
  messages.push(...keptHistory, newMessage);

  const breakdown = {
    systemPrompt: systemContent ? systemOverhead + sections.systemPrompt : 0,
    mission: sections.mission,
    docs: docsTotal(),
    referencedDocs: refs.tokens,
    history: historyTokens,
    tools: sections.tools,
    newMessage: newMessageTokens,
    total: 0,
  };
  breakdown.total =
    breakdown.systemPrompt +
    breakdown.mission +
    breakdown.docs +
    breakdown.referencedDocs +
    breakdown.history +
    breakdown.tools +
    breakdown.newMessage;
  return { messages, breakdown, trimmedMessages, trimmedDocs, missionTruncated, referencedDocs: refs.uses, budget, notes };
}

const DOCS_HEADER = "\n\n# Your docs";

function missionSection(mission: string): string {
  return `\n\n# Project mission\n${mission}`;
}

function docSection(doc: TAgentDoc): string {
  return `\n\n## ${doc.title}\n${doc.content.trim()}`;
}

function toolsSection(tools: string): string {
  return `\n\n# Tools\n${tools}`;
}

/** Operator messages are user turns, the agent's own are assistant turns, other agents' are user turns tagged with their key. */
function toChatMessage(message: TThreadMessage, agentKey: string): TChatMessage {
  if (message.author === agentKey) return { role: "assistant", content: message.content };
  if (message.author === "user") return { role: "user", content: message.content };
  return { role: "user", content: `[${message.author}] ${message.content}` };
}

/** The mission cut to fit `room` tokens (section header and marker included), or "" when even the marker does not fit. */
function fitMission(mission: string, room: number): string {
  const overhead = countTokens(missionSection("")) + countTokens(MISSION_TRUNCATED_MARKER);
  let allowance = room - overhead;
  while (allowance > 0) {
    const cut = `${truncateToTokens(mission, allowance).trimEnd()}${MISSION_TRUNCATED_MARKER}`;
    if (countTokens(missionSection(cut)) <= room) return cut;
    allowance -= Math.max(1, Math.ceil(allowance * 0.05));
  }
  return "";
}

function sum(values: readonly number[], count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += values[i] ?? 0;
  return total;
}
