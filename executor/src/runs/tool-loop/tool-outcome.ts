import type { TToolLoopEventKind } from "./tool-loop-types.ts";

/**
 * What a tool handler answers: the text the model reads, and the run event that records the call
 * (its kind, one short sentence and its data). The loop adds the tool's name and arguments.
 */
export type TToolOutcome = {
  content: string;
  event: { kind: TToolLoopEventKind; summary: string; data: Record<string, unknown> };
};
