import type { Metadata } from "next";
import { preloadTasks } from "@/features/live/preload-project.ts";
import { TasksView } from "@/features/tasks/tasks-view.tsx";

export const metadata: Metadata = { title: "Tasks" };

/** Tasks: the kanban board and the table, rendered with their first cards when the server could read them. */
export default async function TasksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <TasksView start={await preloadTasks(slug)} />;
}
