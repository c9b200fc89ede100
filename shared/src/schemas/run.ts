import { z } from "zod";
import { ZAgentKey, ZWorkspacePath } from "./action-proposal.ts";
import { CHANGESET_REVIEW_KINDS, RISK_LEVELS, RUN_MODES } from "./column-enums.ts";

/** The most files one changeset may hold, and the largest file content it may write. */
export const CHANGESET_LIMITS = { maxFiles: 50, maxFileChars: 1_000_000 } as const;

/**
 * One file of a changeset as an agent proposes it: the whole new content (null deletes the file).
 * The executor reads the current file, computes the unified diff and the sha-256 it is bound to.
 */
export const ZChangesetFileInput = z.strictObject({
  path: ZWorkspacePath,
  new_content: z.string().max(CHANGESET_LIMITS.maxFileChars).nullable(),
  rationale: z.string().trim().max(500).default(""),
  risk_notes: z.string().trim().max(2000).default(""),
});
/** One proposed file. */
export type TChangesetFileInput = z.infer<typeof ZChangesetFileInput>;

/** What an implement run proposes: a summary, a risk level and its files (each path once). */
export const ZChangesetInput = z.strictObject({
  summary: z.string().trim().min(1, "say in one line what the changeset does").max(500),
  risk: z.enum(RISK_LEVELS).default("low"),
  files: z
    .array(ZChangesetFileInput)
    .min(1, "a changeset changes at least one file")
    .max(CHANGESET_LIMITS.maxFiles)
    .refine((files) => new Set(files.map((f) => f.path)).size === files.length, "each path at most once"),
});
/** A proposed changeset. */
export type TChangesetInput = z.infer<typeof ZChangesetInput>;

/** An operator starting a run (Runs page, a slash command the dashboard sends). */
export const ZRunStartInput = z.strictObject({
  agent_key: ZAgentKey,
  mode: z.enum(RUN_MODES),
  goal: z.string().trim().min(1, "say what the run should do").max(20_000),
  constraints: z.string().trim().max(20_000).default(""),
  task_id: z.uuid().nullable().default(null),
});
/** A run an operator starts. */
export type TRunStartInput = z.infer<typeof ZRunStartInput>;

/** A review comment on a changeset (path and line narrow it to a file or a line of the new file). */
export const ZChangesetReviewInput = z.strictObject({
  kind: z.enum(CHANGESET_REVIEW_KINDS),
  comment: z.string().trim().min(1, "write the comment").max(5000),
  path: ZWorkspacePath.nullable().default(null),
  line: z.int().min(1).nullable().default(null),
});
/** A review comment. */
export type TChangesetReviewInput = z.infer<typeof ZChangesetReviewInput>;

/**
 * The slash commands every composer understands (Team Room, DMs, task threads). The database
 * parses them (public.parse_run_command) so they work in Backup too; this list feeds the composer's
 * suggestions.
 */
export const SLASH_COMMANDS = [
  { command: "/plan", usage: "/plan [@agent] <goal>", description: "Ask for a numbered plan; nothing changes" },
  { command: "/implement", usage: "/implement [@agent] <goal>", description: "Let the agent propose a changeset for approval" },
  { command: "/test", usage: "/test [@agent]", description: "Run the project's test command and report" },
  { command: "/cancel", usage: "/cancel [@agent]", description: "Cancel the queued or running run here" },
  { command: "/handoff", usage: "/handoff @agent <note>", description: "Hand the task to another agent with a note" },
] as const;

/**
 * The programs a test command may start when the executor's RUN_TEST_ALLOWLIST is not set (the
 * executor's default; the dashboard shows it beside the test command).
 */
export const DEFAULT_RUN_TEST_ALLOWLIST = ["npm", "pnpm", "yarn", "npx", "node", "make", "pytest", "cargo", "go", "deno", "bun"] as const;

/**
 * How a project's runs work (project_settings key `runs`): the test command a test run executes
 * (its program must be on the executor's RUN_TEST_ALLOWLIST), how many apply -> test -> fix rounds
 * an implement run gets before it hands off to the operator, and the step cap of the tool loop.
 */
export const ZRunSettings = z.strictObject({
  test_command: z.string().trim().max(500).default(""),
  test_timeout_seconds: z.int().min(5).max(3600).default(600),
  max_iterations: z.int().min(1).max(10).default(3),
  max_steps: z.int().min(1).max(50).default(12),
});
/** A project's run settings, defaults applied. */
export type TRunSettings = z.infer<typeof ZRunSettings>;
