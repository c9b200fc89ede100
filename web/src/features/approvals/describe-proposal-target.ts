/**
 * The one fact that says what a proposal acts on, for compact rows: a task's title, a file's path,
 * a request's method and URL. Reads params loosely: an old or malformed proposal still gets a row.
 */
export function describeProposalTarget(actionType: string, params: unknown): string {
  const p = params && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  const text = (key: string) => (typeof p[key] === "string" ? (p[key] as string) : "");
  switch (actionType) {
    case "create_task":
      return text("title");
    case "send_message":
      return text("thread_key") === "team-room" ? "to the Team Room" : text("thread_key") ? `to ${text("thread_key")}` : "";
    case "edit_doc":
      return [text("doc_type"), text("agent_key") ? `of ${text("agent_key")}` : "project-wide"].filter(Boolean).join(" ");
    case "file_write":
      return text("path");
    case "api_call":
      return [text("method"), text("url")].filter(Boolean).join(" ");
    case "schedule_job":
      return [text("name"), text("schedule_expr") ? `(${text("schedule_expr")})` : ""].filter(Boolean).join(" ");
    case "apply_changeset": {
      const paths = Array.isArray(p.paths) ? p.paths.length : 0;
      return paths === 1 ? "1 file" : `${paths} files`;
    }
    default:
      return "";
  }
}
