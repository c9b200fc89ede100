import { NotBuilt } from "@/features/shell/not-built.tsx";

/** Tasks: not built yet. */
export default function TasksPage() {
  return <NotBuilt title="Tasks" note="Tasks arrive in the next release: a kanban board and table, task threads and approval cards." />;
}
