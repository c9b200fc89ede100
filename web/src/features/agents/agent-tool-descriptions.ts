import type { TAgentTool } from "@mission-control/shared/schemas";

/** One line per tool, for the editor's checkboxes: what enabling it lets the agent propose. */
export const AGENT_TOOL_DESCRIPTIONS: Record<TAgentTool, string> = {
  create_task: "Propose new cards on the task board.",
  schedule_job: "Propose scheduled jobs (every interval, cron, or once).",
  edit_doc: "Propose replacing the text of a brain doc.",
  send_message: "Propose posts to the Team Room or a DM.",
  api_call: "Propose one HTTP request to a host on the project's allowlist.",
  file_write: "Propose writing a file inside the executor's workspace.",
};

/** What each risk tolerance lets the agent propose. */
export const RISK_TOLERANCE_DESCRIPTIONS = {
  low: "low-risk proposals only",
  medium: "up to medium risk",
  high: "any risk",
} as const;
