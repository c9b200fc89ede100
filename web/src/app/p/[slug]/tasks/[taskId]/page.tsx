import { TaskDetail } from "@/features/tasks/task-detail.tsx";

/** One task: its thread with approval cards, and its fields. */
export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  return <TaskDetail taskId={taskId} />;
}
