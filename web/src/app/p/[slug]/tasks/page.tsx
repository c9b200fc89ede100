import { TasksView } from "@/features/tasks/tasks-view.tsx";

/** Tasks: the kanban board and the table. */
export default function TasksPage() {
  return <TasksView />;
}
