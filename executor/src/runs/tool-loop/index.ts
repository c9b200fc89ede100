// The agent loop of a run (used by the run worker): the tools offered from an agent's
// tools_enabled, the run's system prompt, the loop itself and its read-only workspace tools.

export { buildRunSystemPrompt, RUN_MODE_LINE_PREFIX } from "./build-run-system-prompt.ts";
export { ACTION_TOOLS, buildRunTools, PROPOSE_CHANGESET_TOOL, type TActionTool } from "./build-run-tools.ts";
export { readBriefReviews, readRunGoal, readRunMode, type TBriefReview } from "./read-run-prompt.ts";
export { EXECUTOR_STATE_DIR, ToolPathError } from "./resolve-readable-path.ts";
export { runToolLoop, type TToolLoopOptions } from "./run-tool-loop.ts";
export type {
  TChangesetProposed,
  THandOffInput,
  TListTasksFilter,
  TRunTool,
  TRunToolKind,
  TToolbox,
  TToolLoopEvent,
  TToolLoopEventKind,
  TToolLoopOutcome,
  TToolLoopProposal,
  TToolLoopResult,
  TToolLoopUsage,
} from "./tool-loop-types.ts";
