import type { z } from "zod";

/** Field name → the first problem zod found with it ("" holds problems of the whole form). */
export type TFieldIssues = Readonly<Record<string, string>>;

/**
 * The first zod issue of each top-level field, worded for display beside that field ("is
 * required"). `rename` moves an issue to the field that shows it (e.g. provider_connection_id →
 * provider, when one select sets both).
 */
export function readFieldIssues(error: z.ZodError, rename: Readonly<Record<string, string>> = {}): TFieldIssues {
  const issues: Record<string, string> = {};
  for (const issue of error.issues) {
    const head = issue.path[0];
    const field = head === undefined ? "" : String(head);
    const shown = rename[field] ?? field;
    issues[shown] ??= issue.message;
  }
  return issues;
}
