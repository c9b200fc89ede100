"use client";

import type { TTask } from "@mission-control/shared/rows";
import { TASK_PRIORITIES, TASK_STATUSES } from "@mission-control/shared/schemas";
import {
  type ColumnDef,
  type ColumnFiltersState,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
  type VisibilityState,
} from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { formatTime, type TFormatClock } from "../ui/format-time.ts";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { usePageVirtualizer } from "../ui/virtual-page-list.ts";
import { STATUS_LABELS } from "./plan-task-move.ts";
import type { TTasksStart } from "./read-task-pages.ts";
import styles from "./tasks.module.css";
import { useTaskCounts } from "./use-task-counts.ts";
import { useTaskTableRows } from "./use-task-table-rows.ts";

const PRIORITY_RANK = Object.fromEntries(TASK_PRIORITIES.map((p, i) => [p, i])) as Record<string, number>;
const STATUS_RANK = Object.fromEntries(TASK_STATUSES.map((s, i) => [s, i])) as Record<string, number>;

/** A one-line row; rows are measured once rendered (long titles wrap). */
const ROW_ESTIMATE_PX = 37;

function formatDate(iso: string | null, clock: TFormatClock): string {
  if (!iso) return "";
  return formatTime(iso, "day", clock);
}

/** "40 of 10,000 tasks", and what is still being read. */
function tableCountText(shown: number, held: number, total: number | null, readingAll: boolean, locale: string | undefined): string {
  const of = total === null ? "" : ` of ${total.toLocaleString(locale)}`;
  if (readingAll) return `Reading every task to sort and filter them: ${held.toLocaleString(locale)}${of} read…`;
  return `${shown.toLocaleString(locale)}${of} tasks`;
}

/**
 * The task table (@tanstack/react-table): click a header to sort, filter by text and status, pick
 * the visible columns. Arrow keys move between rows, Enter opens the task. Live like the board.
 * It opens on the latest changed tasks and reads older ones from the database as the list nears its
 * end; another sort or a filter reads every task first. Only the rows on screen are rendered
 * (spacer rows stand for the others), so ten thousand tasks stay quick; the table keeps its row
 * count and each row's index for assistive tech.
 */
export function TaskTable({
  tasks,
  start,
  pendingByTask,
}: {
  tasks: TTask[];
  /** The table's first rows as the server read them for this project (null: the table reads them). */
  start: TTasksStart | null;
  pendingByTask: Map<string, number>;
}) {
  const { project } = useProject();
  const clock = useClock();
  const router = useRouter();
  const [sorting, setSorting] = useState<SortingState>([{ id: "updated_at", desc: true }]);
  const [globalFilter, setGlobalFilter] = useState("");
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({ created_at: false });
  // The latest changed tasks come first from the database; another order or a filter needs them all.
  const byLastChange = sorting.length === 1 && sorting[0]?.id === "updated_at" && sorting[0].desc;
  const readAll = !byLastChange || globalFilter.trim() !== "" || columnFilters.length > 0;
  const held = useTaskTableRows(tasks, readAll, start);
  const { counts } = useTaskCounts(project.id, tasks, start?.counts ?? null);
  const total = counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : null;

  const columns = useMemo<ColumnDef<TTask>[]>(
    () => [
      {
        id: "title",
        accessorKey: "title",
        header: "Title",
        cell: ({ row }) => (
          <Link href={`/p/${project.slug}/tasks/${row.original.id}`} tabIndex={-1}>
            {row.original.title}
          </Link>
        ),
        enableHiding: false,
      },
      {
        id: "status",
        accessorKey: "status",
        header: "Status",
        sortingFn: (a, b) => (STATUS_RANK[a.original.status] ?? 0) - (STATUS_RANK[b.original.status] ?? 0),
        filterFn: "equalsString",
        cell: ({ row }) => (
          <span className={styles.status} data-status={row.original.status}>
            {STATUS_LABELS[row.original.status]}
          </span>
        ),
      },
      {
        id: "assignee",
        accessorFn: (t) => t.assignee_agent_key ?? "",
        header: "Assignee",
        cell: ({ getValue }) => (getValue<string>() ? `@${getValue<string>()}` : <span className="muted">unassigned</span>),
      },
      {
        id: "priority",
        accessorKey: "priority",
        header: "Priority",
        sortingFn: (a, b) => (PRIORITY_RANK[a.original.priority] ?? 0) - (PRIORITY_RANK[b.original.priority] ?? 0),
        cell: ({ row }) => (
          <span className={styles.priority} data-priority={row.original.priority}>
            {row.original.priority}
          </span>
        ),
      },
      { id: "labels", accessorFn: (t) => t.labels.join(", "), header: "Labels" },
      { id: "approvals", accessorFn: (t) => pendingByTask.get(t.id) ?? 0, header: "To approve" },
      { id: "due_at", accessorFn: (t) => t.due_at ?? "", header: "Due", cell: ({ row }) => formatDate(row.original.due_at, clock) },
      { id: "created_at", accessorKey: "created_at", header: "Created", cell: ({ row }) => formatDate(row.original.created_at, clock) },
      { id: "updated_at", accessorKey: "updated_at", header: "Updated", cell: ({ row }) => formatDate(row.original.updated_at, clock) },
    ],
    [project.slug, pendingByTask, clock],
  );

  const table = useReactTable({
    data: held.rows,
    columns,
    state: { sorting, globalFilter, columnFilters, columnVisibility },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnFiltersChange: setColumnFilters,
    onColumnVisibilityChange: setColumnVisibility,
    getRowId: (row) => row.id,
    globalFilterFn: "includesString",
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const statusFilter = (table.getColumn("status")?.getFilterValue() as string | undefined) ?? "";
  const rows = table.getRowModel().rows;
  const { listRef, virtualizer, startOf, onFocusCapture } = usePageVirtualizer<HTMLTableSectionElement>({
    count: rows.length,
    estimateSize: ROW_ESTIMATE_PX,
    getItemKey: (index) => rows[index]?.id ?? String(index),
  });
  const rendered = virtualizer.getVirtualItems();
  const first = rendered[0];
  const last = rendered[rendered.length - 1];
  const spaceAbove = first ? startOf(first.start) : 0;
  const spaceBelow = last ? virtualizer.getTotalSize() - startOf(last.end) : 0;
  const columnCount = table.getVisibleLeafColumns().length;
  // Near the end of what is held: read the next older page.
  const nearEnd = last !== undefined && last.index >= rows.length - 20;
  const { loadOlder, exhausted } = held;
  useEffect(() => {
    if (nearEnd && !exhausted) loadOlder();
  }, [nearEnd, exhausted, loadOlder]);

  return (
    <div className={styles.page} style={{ padding: 0 }}>
      <div className={styles.toolbar}>
        <input
          type="search"
          placeholder="Filter tasks"
          aria-label="Filter tasks"
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.target.value)}
        />
        <select
          aria-label="Filter by status"
          value={statusFilter}
          onChange={(e) => table.getColumn("status")?.setFilterValue(e.target.value || undefined)}
        >
          <option value="">Every status</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <details className={styles.columnsPicker}>
          <summary className="button small">Columns</summary>
          <div>
            {table
              .getAllLeafColumns()
              .filter((c) => c.getCanHide())
              .map((column) => (
                <label key={column.id}>
                  <input type="checkbox" checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} />
                  {String(column.columnDef.header)}
                </label>
              ))}
          </div>
        </details>
        <span className={styles.hint} data-testid="table-count" aria-live="polite">
          {tableCountText(rows.length, held.rows.length, total, readAll && !held.exhausted, clock.locale)}
        </span>
      </div>
      <table className={styles.table} aria-label="Tasks" aria-rowcount={rows.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
                    <button type="button" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      {sorted === "asc" ? " ↑" : sorted === "desc" ? " ↓" : ""}
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody ref={listRef} onKeyDown={onListKeyDown} onFocusCapture={onFocusCapture}>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="muted">
                {held.loading ? "Reading tasks…" : "No tasks match."}
              </td>
            </tr>
          ) : null}
          {spaceAbove > 0 ? (
            <tr data-spacer="" style={{ height: spaceAbove }}>
              <td colSpan={columnCount} style={{ padding: 0, border: 0 }} />
            </tr>
          ) : null}
          {rendered.map(({ index }) => {
            const row = rows[index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                ref={virtualizer.measureElement}
                data-index={index}
                aria-rowindex={index + 2}
                {...LIST_ITEM}
                tabIndex={index === (first?.index ?? 0) ? 0 : -1}
                data-testid="task-row"
                data-task-id={row.id}
                onKeyDown={(e) => {
                  if (e.key === "Enter") router.push(`/p/${project.slug}/tasks/${row.id}`);
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.id === "title" ? styles.titleCell : undefined}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {spaceBelow > 0 ? (
            <tr data-spacer="" style={{ height: spaceBelow }}>
              <td colSpan={columnCount} style={{ padding: 0, border: 0 }} />
            </tr>
          ) : null}
          {rows.length > 0 && (held.error || (held.loading && !readAll)) ? (
            <tr>
              <td colSpan={columnCount} className="muted" role={held.error ? "alert" : undefined}>
                {held.error ?? "Reading older tasks…"}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
