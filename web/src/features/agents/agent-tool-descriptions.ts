import type { TAgentTool } from "@mission-control/shared/schemas";

/** One line per tool, for the editor's checkboxes: what enabling it lets the agent do (read-only tools) or propose. */
export const AGENT_TOOL_DESCRIPTIONS: Record<TAgentTool, string> = {
  read_file: "Read a file of the executor's workspace (runs without approval).",
  list_files: "List a folder of the workspace (runs without approval).",
  search_text: "Search text in the workspace (runs without approval).",
  read_task: "Read a task and its thread (runs without approval).",
  list_tasks: "List the project's tasks (runs without approval).",
  create_task: "Propose new cards on the task board.",
  schedule_job: "Propose scheduled jobs (every interval, cron, or once).",
  edit_doc: "Propose replacing the text of a brain doc.",
  send_message: "Propose posts to the Team Room or a DM.",
  api_call: "Propose one HTTP request to a host on the project's allowlist.",
  file_write: "Propose writing a file inside the executor's workspace.",
  apply_changeset: "Propose a changeset: several workspace files, reviewed file by file, applied together, rolled back in one click.",
  hand_off: "Hand a run's work to another agent with a note (no approval: the next agent proposes as usual).",
};

/** What each risk tolerance lets the agent propose. */
export const RISK_TOLERANCE_DESCRIPTIONS = {
  low: "low-risk proposals only",
  medium: "up to medium risk",
  high: "any risk",
} as const;
