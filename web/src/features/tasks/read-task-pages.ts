import type { TTask } from "@mission-control/shared/rows";
import { TASK_STATUSES, type TTaskStatus } from "@mission-control/shared/schemas";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { createSupabaseLiveReader } from "../live/live-reader.ts";
import { parseLiveRows } from "../live/live-tables.ts";
import { readOlderPage, START_CURSOR, type TOlderCursor } from "../live/read-older-page.ts";
import { compareCards, STATUS_LABELS } from "./plan-task-move.ts";

/** Cards a board column reads at a time. */
export const COLUMN_PAGE_SIZE = 50;

/** A card's place in its column: what board order sorts by. */
export type TCardKey = Pick<TTask, "position" | "created_at" | "id">;

/** Where one board column's paging stands: the last card read so far, and whether nothing is left after it. */
export interface TColumnPage {
  last: TCardKey | null;
  exhausted: boolean;
}

/** A double-quoted PostgREST filter value (reserved characters such as `.`, `,`, `:` and `+` stay inside). */
function quoted(value: string | number): string {
  return `"${String(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * The PostgREST `or` filter for the cards after `last` in board order (position, then created_at,
 * then id, each ascending): keyset paging, so a card moved meanwhile never shifts a page.
 */
export function afterCardFilter(last: TCardKey): string {
  const position = quoted(last.position);
  const created = quoted(last.created_at);
  return [
    `position.gt.${position}`,
    `and(position.eq.${position},created_at.gt.${created})`,
    `and(position.eq.${position},created_at.eq.${created},id.gt.${quoted(last.id)})`,
  ].join(",");
}

/**
 * The cards of a column to show: the store's cards of that status in board order, up to the last
 * card its pages read (every card up to there was read, so this is the column's true beginning;
 * a card realtime brought from further down waits for its page). Nothing before the first page.
 */
export function visibleColumnCards(cards: readonly TTask[], page: TColumnPage | undefined): TTask[] {
  if (!page) return [];
  if (page.exhausted) return [...cards];
  const { last } = page;
  return last ? cards.filter((card) => compareCards(card, last) <= 0) : [];
}

/** Reads the next page of one column (the first when `after` is null); returns the cards and where the column stands after them. */
export async function readColumnPage(
  client: TBrowserClient,
  projectId: string,
  status: TTaskStatus,
  after: TCardKey | null,
  pageSize = COLUMN_PAGE_SIZE,
): Promise<{ rows: TTask[]; page: TColumnPage }> {
  let request = client.from("tasks").select("*").eq("project_id", projectId).eq("status", status);
  if (after) request = request.or(afterCardFilter(after));
  const { data, error } = await request.order("position").order("created_at").order("id").limit(pageSize);
  if (error) throw new Error(`Could not read the ${STATUS_LABELS[status]} column: ${error.message}`);
  const rows = parseLiveRows("tasks", data ?? []);
  const lastRead = rows.at(-1);
  const last = lastRead ? { position: lastRead.position, created_at: lastRead.created_at, id: lastRead.id } : after;
  return { rows, page: { last, exhausted: (data ?? []).length < pageSize } };
}

/** How many tasks each column holds in the database (exact counts, as the signed-in member may see them), in one call. */
export async function readTaskCounts(client: TBrowserClient, projectId: string): Promise<Record<TTaskStatus, number>> {
  const { data, error } = await client.rpc("count_project_tasks", { p_project_id: projectId });
  if (error) throw new Error(`Could not count the tasks: ${error.message}`);
  const counted = (data ?? {}) as Partial<Record<TTaskStatus, number>>;
  return Object.fromEntries(TASK_STATUSES.map((status) => [status, Number(counted[status] ?? 0)])) as Record<TTaskStatus, number>;
}

/** Rows of the table's first page the server renders it with (a screenful; the table reads the rest as it scrolls). */
export const TABLE_START_SIZE = 50;

/** What the Tasks page opens with: the board's first page per column, the column counts, and the table's first rows. */
export interface TTasksStart {
  projectId: string;
  /** Every task read, for the live store. */
  rows: TTask[];
  columns: Record<TTaskStatus, TColumnPage>;
  counts: Record<TTaskStatus, number>;
  /** Where the table's paging stands after its first rows (the latest changed). */
  table: TOlderCursor;
}

/** Reads the Tasks page's first screen, all reads at once (the server renders the page with it). */
export async function readTasksStart(client: TBrowserClient, projectId: string): Promise<TTasksStart> {
  const [columns, counts, table] = await Promise.all([
    Promise.all(TASK_STATUSES.map(async (status) => [status, await readColumnPage(client, projectId, status, null)] as const)),
    readTaskCounts(client, projectId),
    readOlderPage(createSupabaseLiveReader(client), "tasks", { project_id: projectId }, START_CURSOR, TABLE_START_SIZE),
  ]);
  const byId = new Map<string, TTask>();
  for (const task of [...columns.flatMap(([, column]) => column.rows), ...table.rows]) byId.set(task.id, task);
  return {
    projectId,
    rows: [...byId.values()],
    columns: Object.fromEntries(columns.map(([status, column]) => [status, column.page])) as Record<TTaskStatus, TColumnPage>,
    counts,
    table: table.cursor,
  };
}
