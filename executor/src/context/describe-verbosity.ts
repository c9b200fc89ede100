import type { TEffectiveSettings } from "@mission-control/shared/schemas";

/** One of AGENT_VERBOSITIES: how long an agent's replies should be. */
export type TVerbosity = TEffectiveSettings["verbosity"];

/**
 * The one sentence each verbosity adds to an agent's system prompt. The built-in offline model
 * looks for these sentences, so it honours the setting the way a real model would.
 */
export const VERBOSITY_INSTRUCTIONS: Readonly<Record<TVerbosity, string>> = {
  concise: "Answer concisely: one short paragraph, no preamble, and a list only when asked for one.",
  normal: "Answer at a normal length: complete, clear and without padding.",
  detailed: "Answer in detail: explain your reasoning, list the steps, trade-offs and open questions.",
};

/** The system prompt with the verbosity instruction appended as its last line. */
export function appendVerbosity(systemPrompt: string, verbosity: TVerbosity): string {
  const prompt = systemPrompt.trim();
  return prompt ? `${prompt}\n\n${VERBOSITY_INSTRUCTIONS[verbosity]}` : VERBOSITY_INSTRUCTIONS[verbosity];
}

/** The verbosity a system prompt asks for (the last instruction found), or null when it names none. */
export function readVerbosity(systemPrompt: string): TVerbosity | null {
  let found: TVerbosity | null = null;
  let at = -1;
  for (const [verbosity, sentence] of Object.entries(VERBOSITY_INSTRUCTIONS) as [TVerbosity, string][]) {
    const index = systemPrompt.lastIndexOf(sentence);
    if (index > at) {
      at = index;
      found = verbosity;
    }
  }
  return found;
}
