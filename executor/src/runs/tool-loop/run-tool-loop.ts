import { flattenLoopMessages } from "../../providers/flatten-loop-messages.ts";
import type { TCompletionResult, TLoopMessage, TProvider, TToolCompletionResult } from "../../providers/provider-types.ts";
import { executeToolCall } from "./execute-tool-call.ts";
import type { TRunTool, TToolbox, TToolLoopEvent, TToolLoopProposal, TToolLoopResult, TToolLoopUsage } from "./tool-loop-types.ts";

/** Everything one agent loop needs. */
export type TToolLoopOptions = {
  provider: TProvider;
  settings: { model: string; temperature?: number; maxOutputTokens?: number };
  /** The whole system prompt (see buildRunSystemPrompt). */
  system: string;
  /** The opening messages after the system prompt: the run brief as a user message, maybe earlier turns. */
  messages: readonly TLoopMessage[];
  /** The tools offered (see buildRunTools); a call to any other tool is answered with an error and never run. */
  tools: readonly TRunTool[];
  toolbox: TToolbox;
  /** Model calls allowed (the run's max_steps). */
  maxSteps: number;
  /** Aborts the provider request in flight; no tool handler is called once it aborted. */
  signal: AbortSignal;
  /** Each tool call and each model answer with text, as a run event. Awaited: a rejection ends the loop with it. */
  onEvent?: (event: TToolLoopEvent) => void | Promise<void>;
  /** The tokens of each model step. Awaited like onEvent. */
  onUsage?: (usage: TToolLoopUsage) => void | Promise<void>;
  /** True for a handler error that must end the loop (rethrown) instead of going back to the model. */
  isFatalError?: (err: unknown) => boolean;
};

/**
 * Runs an agent loop: model call → tool calls → tool results → model call … until the model
 * answers without calling tools (`answered`), a changeset is proposed (`proposed_changeset`: the
 * run waits for approval; later calls of that step are not run), the step cap is reached
 * (`step_cap`, with a note saying so) or the signal aborts (`cancelled`: the request in flight is
 * aborted and no handler runs afterwards). Tool calls of one step run in order. A provider
 * without tools (a CLI agent) gets one plain completion of the flattened transcript. Provider
 * errors are rethrown (unless the signal aborted): the caller decides how the run fails.
 */
export async function runToolLoop(options: TToolLoopOptions): Promise<TToolLoopResult> {
  const { provider, settings, signal } = options;
  const transcript: TLoopMessage[] = [{ role: "system", content: options.system }, ...options.messages];
  const offered = new Map(options.tools.map((tool) => [tool.name, tool]));
  const definitions = options.tools.map((tool) => tool.definition);
  const proposals: TToolLoopProposal[] = [];
  const usage = { inputTokens: 0, outputTokens: 0, estimated: false };
  const isFatal = options.isFatalError ?? (() => false);
  let steps = 0;

  const finish = (outcome: TToolLoopResult["outcome"], finalText: string): TToolLoopResult => ({
    outcome,
    finalText,
    steps,
    usage: { ...usage },
    proposals,
    messages: transcript,
  });
  const cancelled = () =>
    finish("cancelled", `Cancelled after ${steps} ${steps === 1 ? "step" : "steps"}: ${describeReason(signal.reason)}`);
  const record = async (result: TCompletionResult) => {
    usage.inputTokens += result.usage.inputTokens;
    usage.outputTokens += result.usage.outputTokens;
    usage.estimated ||= result.usage.estimated;
    await options.onUsage?.({
      step: steps,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      estimated: result.usage.estimated,
      model: result.model,
      provider: result.provider,
      latencyMs: result.latencyMs,
    });
  };
  const say = async (text: string) => {
    if (text.trim()) await options.onEvent?.({ kind: "message", summary: firstSentence(text), data: { text, step: steps } });
  };

  try {
    if (!provider.completeWithTools) {
      if (signal.aborted) return cancelled();
      const result = await provider.complete({
        model: settings.model,
        messages: flattenLoopMessages(transcript),
        ...optionalSettings(settings),
        signal,
      });
      if (signal.aborted) return cancelled();
      steps = 1;
      transcript.push({ role: "assistant", content: result.text, toolCalls: [] });
      await record(result);
      await say(result.text);
      return finish("answered", result.text);
    }

    const maxSteps = Math.max(1, Math.floor(options.maxSteps));
    for (let step = 1; step <= maxSteps; step++) {
      if (signal.aborted) return cancelled();
      const reply: TToolCompletionResult = await provider.completeWithTools({
        model: settings.model,
        messages: transcript,
        tools: definitions,
        ...optionalSettings(settings),
        signal,
      });
      // A reply that arrives as the run is cancelled is dropped: nothing it asks for runs.
      if (signal.aborted) return cancelled();
      steps = step;
      transcript.push({ role: "assistant", content: reply.text, toolCalls: reply.toolCalls });
      await record(reply);
      await say(reply.text);
      if (reply.toolCalls.length === 0) return finish("answered", reply.text);

      let changeset: TToolLoopProposal | null = null;
      let handedOff = false;
      for (const call of reply.toolCalls) {
        if (signal.aborted) return cancelled();
        if (changeset || handedOff) break;
        const answer = await executeToolCall(call, { offered, toolbox: options.toolbox, signal, isFatal });
        transcript.push({ role: "tool", toolCallId: call.id, toolName: call.name, content: answer.content, isError: answer.isError });
        if (answer.proposal) proposals.push(answer.proposal);
        if (answer.proposedChangeset) changeset = answer.proposal;
        handedOff ||= answer.handedOff === true;
        await options.onEvent?.(answer.event);
      }
      if (signal.aborted) return cancelled();
      if (handedOff) return finish("handed_off", reply.text.trim() || "I handed the work to another agent.");
      if (changeset) {
        const note = reply.text.trim() || "I proposed a changeset; the run waits for its review.";
        return finish("proposed_changeset", note);
      }
    }
    const note = `Stopped after ${maxSteps} model ${maxSteps === 1 ? "step" : "steps"} (the run's step cap) while the agent was still calling tools: raise max_steps in the project's run settings or give it a narrower goal.`;
    await options.onEvent?.({
      kind: "message",
      summary: "Stopped at the step cap",
      data: { text: note, step: steps, max_steps: maxSteps },
    });
    return finish("step_cap", note);
  } catch (err) {
    if (signal.aborted) return cancelled();
    throw err;
  }
}

function optionalSettings(settings: TToolLoopOptions["settings"]): { temperature?: number; maxOutputTokens?: number } {
  return {
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxOutputTokens !== undefined ? { maxOutputTokens: settings.maxOutputTokens } : {}),
  };
}

/** The first sentence (or line) of a text, short enough for a run event's summary. */
function firstSentence(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end > 0 && end < 200 ? flat.slice(0, end + 1) : flat;
  return sentence.length <= 200 ? sentence : `${sentence.slice(0, 199)}…`;
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error && reason.message) return reason.message;
  return "the run was cancelled";
}
