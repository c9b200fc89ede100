import { ACTION_PARAMS_SCHEMAS } from "@mission-control/shared/schemas";

/** The outcome of checking params an operator edited before approving. */
export type TEditedParams = { ok: true; params: Record<string, unknown> } | { ok: false; error: string };

/**
 * Parses the JSON an operator typed in "Edit & approve" and validates it with the action type's
 * shared zod schema (the same one the executor uses), so a typo is caught before the approval is
 * bound to it. Errors name the field and say what is wrong.
 */
export function parseEditedParams(actionType: string, text: string): TEditedParams {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!(actionType in ACTION_PARAMS_SCHEMAS)) return { ok: false, error: `Unknown action type "${actionType}"` };
  const schema = ACTION_PARAMS_SCHEMAS[actionType as keyof typeof ACTION_PARAMS_SCHEMAS];
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "params"}: ${i.message}`);
    return { ok: false, error: `Not valid ${actionType} params — ${issues.join("; ")}` };
  }
  return { ok: true, params: parsed.data as Record<string, unknown> };
}
