import type { Metadata } from "next";
import { TasksView } from "@/features/tasks/tasks-view.tsx";

export const metadata: Metadata = { title: "Tasks" };

/** Tasks: the kanban board and the table. */
export default function TasksPage() {
  return <TasksView />;
}
