/** Where a chat thread is shown, as a link: the Team Room, the DM pane with its agent, or the task. */
export function threadPlace(
  projectSlug: string,
  threadKey: string,
  agentName: (agentKey: string) => string,
  taskTitle: (taskId: string) => string | undefined,
): { label: string; href: string } | null {
  if (threadKey === "team-room") return { label: "Team Room", href: `/p/${projectSlug}/team-room` };
  if (threadKey.startsWith("DM:")) {
    const agent = threadKey.slice(3);
    return { label: `DM with ${agentName(agent)}`, href: `/p/${projectSlug}/dms?agent=${encodeURIComponent(agent)}` };
  }
  if (threadKey.startsWith("task:")) {
    const id = threadKey.slice(5);
    return { label: taskTitle(id) ?? "Task thread", href: `/p/${projectSlug}/tasks/${id}` };
  }
  return null;
}
