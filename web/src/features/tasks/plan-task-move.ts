import type { TTask } from "@mission-control/shared/rows";
import { TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";

/** Where a card goes: its new column and its position there. */
export interface TTaskMove {
  status: TTaskStatus;
  position: number;
}

/** Code-unit order, as Postgres compares these strings (ISO timestamps of one format, lower-case uuids). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Board order: position, then creation, then id (the order the database pages a column in). */
export function compareCards(a: Pick<TTask, "position" | "created_at" | "id">, b: Pick<TTask, "position" | "created_at" | "id">): number {
  return a.position - b.position || byCodeUnits(a.created_at, b.created_at) || byCodeUnits(a.id, b.id);
}

/** The cards of one column in board order (position, then creation). */
export function columnCards(tasks: readonly TTask[], status: TTaskStatus): TTask[] {
  return tasks.filter((t) => t.status === status).sort(compareCards);
}

/**
 * Plans dropping `task` into column `status` before the card at `index` of that column (the
 * column as it is without the moving card; an index at or past the end puts it last). The new
 * position is the midpoint of its neighbours, so no other card is rewritten. Returns null when
 * the card would not move at all. Whether the move is allowed (assigned and in_progress need an
 * assignee) is the database's call: the caller shows its message.
 */
export function planTaskMove(tasks: readonly TTask[], task: TTask, status: TTaskStatus, index: number): TTaskMove | null {
  const column = columnCards(tasks, status).filter((t) => t.id !== task.id);
  const at = Math.max(0, Math.min(index, column.length));
  const before = column[at - 1];
  const after = column[at];
  if (task.status === status) {
    const current = columnCards(tasks, status).findIndex((t) => t.id === task.id);
    if (current === at) return null;
  }
  let position: number;
  if (!before && !after) position = task.position;
  else if (!before && after) position = after.position - 1;
  else if (before && !after) position = before.position + 1;
  else position = ((before as TTask).position + (after as TTask).position) / 2;
  return { status, position };
}

/** A keyboard move of the focused card: to the neighbouring column, or up / down within its column. */
export type TKeyboardMove = "left" | "right" | "up" | "down";

/**
 * Plans a keyboard move: left / right put the card at the top of the neighbouring column (board
 * order, blocked last), up / down swap it with its neighbour. Null at an edge.
 */
export function planKeyboardMove(tasks: readonly TTask[], task: TTask, move: TKeyboardMove): TTaskMove | null {
  const columnIndex = TASK_STATUSES.indexOf(task.status);
  if (move === "left" || move === "right") {
    const next = TASK_STATUSES[columnIndex + (move === "left" ? -1 : 1)];
    if (!next) return null;
    return planTaskMove(tasks, task, next, 0);
  }
  const column = columnCards(tasks, task.status);
  const index = column.findIndex((t) => t.id === task.id);
  const target = move === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= column.length) return null;
  // Indexes of the column without the card: up lands before the upper neighbour, down after the lower one.
  return planTaskMove(tasks, task, task.status, target);
}

/** Human names of the columns. */
export const STATUS_LABELS: Record<TTaskStatus, string> = {
  inbox: "Inbox",
  assigned: "Assigned",
  in_progress: "In progress",
  review: "Review",
  done: "Done",
  blocked: "Blocked",
};
