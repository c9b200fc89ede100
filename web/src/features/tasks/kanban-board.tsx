"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import Link from "next/link";
import { type DragEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { planKeyboardMove, planTaskMove, STATUS_LABELS, type TKeyboardMove } from "./plan-task-move.ts";
import { COLUMN_PAGE_SIZE, type TTasksStart } from "./read-task-pages.ts";
import styles from "./tasks.module.css";
import { useTaskColumns } from "./use-task-columns.ts";
import type { useTaskMover } from "./use-task-mover.ts";

const MOVE_KEYS: Record<string, TKeyboardMove> = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };

/** Where a dragged card would land. */
interface TDropTarget {
  status: TTaskStatus;
  index: number;
}

/**
 * The kanban board: one column per status. Cards move with the mouse (drag and drop), with the
 * keyboard (arrow keys move focus; Shift+arrow moves the focused card; Enter opens it) and with
 * each card's Move menu. A refused move shows the database's message above the board.
 */
export function KanbanBoard({
  tasks,
  start,
  pendingByTask,
  agentNames,
  mover,
}: {
  tasks: TTask[];
  /** The columns' first pages as the server read them for this project (null: the board reads them). */
  start: TTasksStart | null;
  pendingByTask: Map<string, number>;
  agentNames: Map<string, string>;
  mover: ReturnType<typeof useTaskMover>;
}) {
  const { project, canWrite } = useProject();
  const { locale } = useClock();
  const { columns, error, showMore } = useTaskColumns(tasks, start);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [drop, setDrop] = useState<TDropTarget | null>(null);
  const board = useRef<HTMLElement>(null);
  const activeId = focusId && tasks.some((t) => t.id === focusId) ? focusId : (columns.find((c) => c.cards[0])?.cards[0]?.id ?? null);

  const focusCard = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    board.current?.querySelector<HTMLElement>(`[data-task-id="${id}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const el = (event.target as HTMLElement).closest<HTMLElement>("[data-task-id]");
    if (!el || (event.target as HTMLElement).closest("button, a, input, select, textarea")) return;
    const task = tasks.find((t) => t.id === el.dataset.taskId);
    if (!task) return;
    const direction = MOVE_KEYS[event.key];
    if (direction && event.shiftKey) {
      event.preventDefault();
      if (!canWrite) return;
      setFocusId(task.id);
      // The moved card re-renders in another list: put focus back on it once it has.
      void mover
        .move(task, planKeyboardMove(tasks, task, direction))
        .then(() => requestAnimationFrame(() => board.current?.querySelector<HTMLElement>(`[data-task-id="${task.id}"]`)?.focus()));
      return;
    }
    if (direction) {
      event.preventDefault();
      const col = TASK_STATUSES.indexOf(task.status);
      const cards = columns[col]?.cards ?? [];
      const index = cards.findIndex((c) => c.id === task.id);
      if (direction === "up") focusCard(cards[index - 1]?.id);
      else if (direction === "down") focusCard(cards[index + 1]?.id);
      else {
        const step = direction === "left" ? -1 : 1;
        for (let c = col + step; c >= 0 && c < columns.length; c += step) {
          const target = columns[c]?.cards;
          if (target && target.length > 0) {
            focusCard(target[Math.min(index, target.length - 1)]?.id);
            break;
          }
        }
      }
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      el.querySelector<HTMLAnchorElement>("a")?.click();
    }
  };

  const dropIndex = (event: DragEvent<HTMLElement>, status: TTaskStatus): number => {
    const cards = Array.from(event.currentTarget.querySelectorAll<HTMLElement>("[data-task-id]")).filter(
      (c) => c.dataset.taskId !== dragId,
    );
    const index = cards.findIndex((c) => {
      const box = c.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    return index < 0 ? (columns.find((c) => c.status === status)?.cards ?? []).filter((t) => t.id !== dragId).length : index;
  };

  const onDrop = (event: DragEvent<HTMLElement>, status: TTaskStatus) => {
    event.preventDefault();
    const id = dragId ?? event.dataTransfer.getData("text/plain");
    const task = tasks.find((t) => t.id === id);
    const index = dropIndex(event, status);
    setDrop(null);
    setDragId(null);
    if (task) void mover.move(task, planTaskMove(tasks, task, status, index));
  };

  return (
    <section ref={board} className={styles.board} onKeyDown={onKeyDown} aria-label="Kanban board" data-testid="kanban-board">
      {error ? (
        <p role="alert" className={styles.boardError}>
          {error}
        </p>
      ) : null}
      {columns.map(({ status, cards, total, hasMore, loading }) => {
        const dropping = drop?.status === status;
        const visible = cards.filter((c) => c.id !== dragId);
        return (
          <section
            key={status}
            className={styles.column}
            aria-label={`${STATUS_LABELS[status]} column`}
            data-status={status}
            data-drop={dropping ? "true" : undefined}
            onDragOver={(event) => {
              if (!dragId || !canWrite) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = "move";
              const index = dropIndex(event, status);
              if (drop?.status !== status || drop.index !== index) setDrop({ status, index });
            }}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDrop(null);
            }}
            onDrop={(event) => onDrop(event, status)}
          >
            <header className={styles.columnHead}>
              <span>{STATUS_LABELS[status]}</span>
              <span className={styles.count} data-testid="column-count">
                {(total ?? cards.length).toLocaleString(locale)}
              </span>
            </header>
            <ul className={styles.cards}>
              {cards.length === 0 && !hasMore ? (
                <li className={styles.empty}>{loading ? "Reading…" : canWrite ? "Drop cards here" : "No tasks"}</li>
              ) : null}
              {cards.map((task) => {
                const pending = pendingByTask.get(task.id) ?? 0;
                const before = dropping && visible[drop.index]?.id === task.id;
                return (
                  <li
                    key={task.id}
                    data-task-id={task.id}
                    data-testid="task-card"
                    tabIndex={task.id === activeId ? 0 : -1}
                    aria-label={`${task.title}, ${STATUS_LABELS[task.status]}${task.assignee_agent_key ? `, assigned to ${agentNames.get(task.assignee_agent_key) ?? task.assignee_agent_key}` : ""}`}
                    aria-describedby="kanban-keys"
                    className={`${styles.card} ${before ? styles.dropBefore : ""}`}
                    data-dragging={dragId === task.id ? "true" : undefined}
                    data-busy={mover.busyId === task.id ? "true" : undefined}
                    draggable={canWrite}
                    onFocus={() => setFocusId(task.id)}
                    onDragStart={(event) => {
                      event.dataTransfer.setData("text/plain", task.id);
                      event.dataTransfer.effectAllowed = "move";
                      setDragId(task.id);
                    }}
                    onDragEnd={() => {
                      setDragId(null);
                      setDrop(null);
                    }}
                  >
                    <Link className={styles.cardTitle} href={`/p/${project.slug}/tasks/${task.id}`} tabIndex={-1} draggable={false}>
                      {task.title}
                    </Link>
                    <div className={styles.cardMeta}>
                      {task.priority !== "normal" ? (
                        <span className={styles.priority} data-priority={task.priority}>
                          {task.priority}
                        </span>
                      ) : null}
                      {task.assignee_agent_key ? (
                        <span className={styles.assignee}>@{task.assignee_agent_key}</span>
                      ) : (
                        <span>unassigned</span>
                      )}
                      {task.labels.map((label) => (
                        <span key={label} className={styles.label}>
                          {label}
                        </span>
                      ))}
                      {pending > 0 ? (
                        <span className={styles.pendingTag} title="Proposals waiting for a decision">
                          {pending} to approve
                        </span>
                      ) : null}
                      {canWrite ? <MoveMenu task={task} tasks={tasks} mover={mover} tabbable={task.id === activeId} /> : null}
                    </div>
                  </li>
                );
              })}
            </ul>
            {hasMore ? (
              <button type="button" className={`button small ${styles.showMore}`} disabled={loading} onClick={() => showMore(status)}>
                {loading ? "Reading…" : showMoreLabel(total, cards.length, locale)}
              </button>
            ) : null}
          </section>
        );
      })}
      <p id="kanban-keys" className="visually-hidden">
        Arrow keys move between cards. Shift plus an arrow key moves the card to the next column or up and down. Enter opens the task.
      </p>
    </section>
  );
}

/** "Show 50 more (2,400 not shown)", or without the count while it is being read. */
function showMoreLabel(total: number | null, shown: number, locale: string | undefined): string {
  if (total === null || total <= shown) return `Show ${COLUMN_PAGE_SIZE} more`;
  const hidden = total - shown;
  return `Show ${Math.min(COLUMN_PAGE_SIZE, hidden)} more (${hidden.toLocaleString(locale)} not shown)`;
}

/** A card's "Move to…" menu: every other column, for mouse and keyboard alike. */
function MoveMenu({
  task,
  tasks,
  mover,
  tabbable,
}: {
  task: TTask;
  tasks: TTask[];
  mover: ReturnType<typeof useTaskMover>;
  /** Only the active card's menu is a Tab stop, so Tab leaves the board instead of visiting every card. */
  tabbable: boolean;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) root.current?.querySelector<HTMLButtonElement>("[role=menuitem]:not(:disabled)")?.focus();
  }, [open]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the wrapper handles Escape and arrow keys for the menu button and its items
    <div
      ref={root}
      className={styles.moveMenu}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
          root.current?.querySelector<HTMLButtonElement>("button")?.focus();
        }
        if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
          event.preventDefault();
          event.stopPropagation();
          const items = Array.from(root.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]:not(:disabled)") ?? []);
          const i = items.indexOf(document.activeElement as HTMLButtonElement);
          items[(i + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length]?.focus();
        }
      }}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        type="button"
        className="button small"
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={tabbable || open ? 0 : -1}
        aria-label={`Move "${task.title}"`}
        onClick={() => setOpen((v) => !v)}
      >
        Move
      </button>
      {open ? (
        <div role="menu" className={styles.menu} aria-label="Move to">
          {TASK_STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              role="menuitem"
              disabled={status === task.status}
              onClick={() => {
                setOpen(false);
                void mover.move(task, planTaskMove(tasks, task, status, Number.MAX_SAFE_INTEGER));
              }}
            >
              {STATUS_LABELS[status]}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
