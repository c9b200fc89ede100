import { type TRunSettings, ZRunSettings } from "@mission-control/shared/schemas";
import type { TFieldIssues } from "../providers/read-field-issues.ts";

/** The Run settings form as typed: "" means "not set" (the default applies). */
export interface TRunSettingsDraft {
  test_command: string;
  test_timeout_seconds: string;
  max_iterations: string;
  max_steps: string;
}

/** The number fields of the run settings. */
export type TRunNumberField = "test_timeout_seconds" | "max_iterations" | "max_steps";

/** The stored run settings: only the fields the operator set (the rest keep their defaults). */
export type TStoredRunSettings = Partial<TRunSettings>;

/** A number field's bounds and default, read from ZRunSettings so the form never restates them. */
export function runSettingBounds(field: TRunNumberField): { min: number; max: number; fallback: number } {
  const schema = ZRunSettings.shape[field];
  const inner = schema.unwrap();
  return { min: inner.minValue ?? 0, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER, fallback: schema.def.defaultValue };
}

/** The form's draft of stored settings. */
export function draftFromRunSettings(stored: TStoredRunSettings): TRunSettingsDraft {
  const text = (value: number | string | undefined) => (value === undefined ? "" : String(value));
  return {
    test_command: text(stored.test_command),
    test_timeout_seconds: text(stored.test_timeout_seconds),
    max_iterations: text(stored.max_iterations),
    max_steps: text(stored.max_steps),
  };
}

/** A draft checked with ZRunSettings: the value to store (set fields only), or the problems per field. */
export type TRunSettingsResult = { ok: true; value: TStoredRunSettings } | { ok: false; issues: TFieldIssues };

/**
 * Validates the form with `ZRunSettings` (the schema the executor reads the setting with; the
 * database checks the same rules with is_run_settings) and returns only the fields that are set,
 * so an empty field keeps meaning "the default". A test command that needs a shell is refused
 * here too: the executor would refuse it at every test run.
 */
export function parseRunSettingsDraft(draft: TRunSettingsDraft): TRunSettingsResult {
  const issues: Record<string, string> = {};
  const candidate: Record<string, string | number> = {};
  const command = draft.test_command.trim();
  if (command !== "") {
    const shell = findShellSyntax(command);
    if (shell) issues.test_command = shell;
    candidate.test_command = command;
  }
  for (const field of ["test_timeout_seconds", "max_iterations", "max_steps"] as const) {
    const text = draft[field].trim();
    if (text === "") continue;
    const { min, max } = runSettingBounds(field);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      issues[field] = `must be a whole number from ${min} to ${max}`;
      continue;
    }
    candidate[field] = value;
  }
  const parsed = ZRunSettings.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      issues[field] ??= issue.code === "too_big" && field === "test_command" ? "must be at most 500 characters" : issue.message;
    }
  }
  if (!parsed.success || Object.keys(issues).length > 0) return { ok: false, issues };
  // The parse fills in every default: keep only what the operator set.
  const value = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => key in candidate)) as TStoredRunSettings;
  return { ok: true, value };
}

/**
 * The program a test command starts: its first word, quotes removed (what the executor matches
 * against RUN_TEST_ALLOWLIST). Empty for an empty command.
 */
export function testCommandProgram(command: string): string {
  const match = /^\s*(?:'([^']*)'|"([^"]*)"|(\S+))/.exec(command);
  return match?.[1] ?? match?.[2] ?? match?.[3] ?? "";
}

/**
 * What in a test command needs a shell (the executor runs it without one and refuses these):
 * control operators and redirects, `$VARIABLES` and backquotes, globs, comments. Quoted text is
 * literal, as the executor reads it. Null when the command is fine.
 */
export function findShellSyntax(command: string): string | null {
  const advice = 'test commands run without a shell: put the steps in a script (e.g. an npm script "test") and run that, e.g. npm test';
  let quote: "'" | '"' | null = null;
  let wordStart = true;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] ?? "";
    if (quote === "'") {
      if (char === "'") quote = null;
      continue;
    }
    if (char === "\\") {
      i++;
      wordStart = false;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === "$" || char === "`") return `uses ${char === "$" ? "a $variable" : "a `command`"}, but ${advice}`;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      wordStart = false;
      continue;
    }
    if (/\s/.test(char)) {
      wordStart = true;
      continue;
    }
    if ("|&;()<>".includes(char)) return `uses the shell operator ${operatorAt(command, i)}, but ${advice}`;
    if (char === "$") return `uses a $variable (nothing is expanded: write its value), but ${advice}`;
    if (char === "`") return `uses a \`command\`, but ${advice}`;
    if (char === "*") return `uses a * pattern (nothing is expanded: name the files), but ${advice}`;
    if (char === "#" && wordStart) return `uses a # comment, but ${advice}`;
    wordStart = false;
  }
  return quote ? `has an unclosed ${quote} quote` : null;
}

/** The operator at `index`, two characters when they form one (&&, ||, >>, 2>&1's >&). */
function operatorAt(command: string, index: number): string {
  const two = command.slice(index, index + 2);
  return ["&&", "||", ">>", ">&", "|&", ";;", "<<", "<("].includes(two) ? two : (command[index] ?? "");
}
