import type { TRunEvent } from "@mission-control/shared/rows";

/** One field of an event's structured data, as the expanded timeline entry shows it. */
export interface TEventField {
  key: string;
  label: string;
  value: string;
  /** Shown as a monospace block (command output, arguments, long text). */
  block: boolean;
}

// The conventional data of each kind (see the contract), in the order an operator reads them.
const LABELS: Readonly<Record<string, string>> = {
  from: "From",
  to: "To",
  note: "Note",
  tool: "Tool",
  ok: "Succeeded",
  path: "Path",
  bytes: "Bytes",
  lines: "Lines",
  command: "Command",
  exit_code: "Exit code",
  passed: "Passed",
  timed_out: "Timed out",
  duration_ms: "Duration",
  files: "Files",
  additions: "Lines added",
  deletions: "Lines removed",
  changeset_id: "Changeset",
  proposal_id: "Proposal",
  arguments: "Arguments",
  result_preview: "Result",
  text: "Text",
  message: "Message",
  output_tail: "Output (last lines)",
};

const ALWAYS_BLOCK = new Set(["arguments", "result_preview", "output_tail", "text", "message"]);

function formatValue(key: string, value: unknown): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (key === "duration_ms" && typeof value === "number") return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join("\n");
  return JSON.stringify(value, null, 2);
}

/**
 * An event's data as labelled fields: the known ones first in reading order, then any other key
 * (an executor of a newer version may add some). Output, arguments, results and any multi-line
 * value are blocks; empty values are left out.
 */
export function describeRunEventData(event: Pick<TRunEvent, "data">): TEventField[] {
  const known = Object.keys(LABELS);
  const keys = Object.keys(event.data).sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    return (ia === -1 ? known.length : ia) - (ib === -1 ? known.length : ib) || a.localeCompare(b);
  });
  return keys.flatMap((key) => {
    const raw = event.data[key];
    if (raw === null || raw === undefined || raw === "") return [];
    const value = formatValue(key, raw);
    const block = ALWAYS_BLOCK.has(key) || value.includes("\n") || (typeof raw === "object" && raw !== null);
    return [{ key, label: LABELS[key] ?? key.replaceAll("_", " "), value, block }];
  });
}
