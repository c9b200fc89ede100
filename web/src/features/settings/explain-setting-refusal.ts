import { runSettingBounds } from "./run-settings-draft.ts";

/** The fields of a PostgREST error a refused settings write carries. */
export interface TSettingRefusal {
  code?: string;
  message: string;
}

/** The rules each check constraint on project_settings holds, in words (the constraint's name is in the error message). */
function rulesOf(constraint: string): string | null {
  switch (constraint) {
    case "runs_settings_are_valid": {
      const timeout = runSettingBounds("test_timeout_seconds");
      const iterations = runSettingBounds("max_iterations");
      const steps = runSettingBounds("max_steps");
      return (
        `run settings hold only a test command (text, at most 500 characters), a test timeout (${timeout.min} to ${timeout.max} seconds), ` +
        `max iterations (${iterations.min} to ${iterations.max}) and max steps (${steps.min} to ${steps.max}), each a whole number`
      );
    }
    case "labs_features_are_flags":
      return "labs features are a map of on/off flags";
    case "agent_defaults_is_object":
      return "agent defaults are an object whose provider connection is a connection id";
    default:
      return null;
  }
}

/**
 * The sentence for a settings value the database refused with a check (23514): which rule it
 * broke and what to do. Null for any other error.
 */
export function explainSettingRefusal(key: string, error: TSettingRefusal): string | null {
  if (error.code !== "23514") return null;
  const constraint = /check constraint "([^"]+)"/.exec(error.message)?.[1] ?? "";
  const rules = rulesOf(constraint);
  return `The database refused the "${key}" setting: ${rules ?? error.message}. Correct the value and save again.`;
}
