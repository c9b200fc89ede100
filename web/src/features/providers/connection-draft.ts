import type { TProviderConnection as TProviderConnectionRow } from "@mission-control/shared/rows";
import { type TProviderConnection, type TProviderConnectionKind, ZProviderConnectionInput } from "@mission-control/shared/schemas";
import { readFieldIssues, type TFieldIssues } from "./read-field-issues.ts";

/** The connection editor's fields as typed (strings until saved). */
export interface TConnectionDraft {
  name: string;
  kind: TProviderConnectionKind;
  base_url: string;
  keyless: boolean;
  default_model: string;
  cli_command: string;
  cli_timeout_seconds: string;
}

/** What a CLI agent gets unless the operator says otherwise (the SQL default too). */
export const DEFAULT_CLI_TIMEOUT_SECONDS = 300;

/** An empty draft of a kind. */
export function emptyConnectionDraft(kind: TProviderConnectionKind = "openai_compatible"): TConnectionDraft {
  return {
    name: "",
    kind,
    base_url: "",
    keyless: false,
    default_model: "",
    cli_command: "",
    cli_timeout_seconds: String(DEFAULT_CLI_TIMEOUT_SECONDS),
  };
}

/** The draft of a stored connection, for editing it. */
export function draftFromConnection(row: TProviderConnectionRow): TConnectionDraft {
  return {
    name: row.name,
    kind: row.kind,
    base_url: row.base_url ?? "",
    keyless: row.keyless,
    default_model: row.default_model ?? "",
    cli_command: row.cli_command ?? "",
    cli_timeout_seconds: String(row.cli_timeout_seconds),
  };
}

/** A draft checked against the shared schema: the row to write, or the problems per field. */
export type TDraftResult = { ok: true; input: TProviderConnection } | { ok: false; issues: TFieldIssues };

/**
 * Validates a draft with the shared `ZProviderConnectionInput`. Fields the kind does not use are
 * dropped first (a base URL typed before switching to CLI is not an error), so the operator only
 * sees problems with the fields on screen.
 */
export function parseConnectionDraft(draft: TConnectionDraft): TDraftResult {
  const text = (value: string) => (value.trim() === "" ? null : value.trim());
  const timeout = draft.cli_timeout_seconds.trim();
  if (draft.kind === "cli" && !/^\d+$/.test(timeout)) {
    return { ok: false, issues: { cli_timeout_seconds: "must be a whole number of seconds (1 to 3600)" } };
  }
  const parsed = ZProviderConnectionInput.safeParse({
    name: draft.name,
    kind: draft.kind,
    base_url: draft.kind === "cli" ? null : text(draft.base_url),
    keyless: draft.kind === "openai_compatible" ? draft.keyless : false,
    default_model: text(draft.default_model),
    cli_command: draft.kind === "cli" ? text(draft.cli_command) : null,
    cli_timeout_seconds: draft.kind === "cli" ? Number(timeout) : DEFAULT_CLI_TIMEOUT_SECONDS,
  });
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, issues: readFieldIssues(parsed.error) };
}
