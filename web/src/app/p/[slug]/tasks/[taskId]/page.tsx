import type { Metadata } from "next";
import { TaskDetail } from "@/features/tasks/task-detail.tsx";

export const metadata: Metadata = { title: "Task" };

/** One task: its thread with approval cards, and its fields. */
export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  return <TaskDetail taskId={taskId} />;
}
