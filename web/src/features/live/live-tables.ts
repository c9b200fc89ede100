import type { TRealtimeTable } from "@mission-control/shared/realtime";
import {
  ZActivity,
  ZAgent,
  ZAgentStatus,
  ZBrainDoc,
  ZBudget,
  ZChangeset,
  ZChangesetFile,
  ZChangesetReview,
  ZChatDelivery,
  ZChatMessage,
  ZChatThread,
  ZCronCreateRequest,
  ZCronDeleteRequest,
  ZCronJob,
  ZCronJobPatchRequest,
  ZCronJobRun,
  ZCronRunRequest,
  ZModelPrice,
  ZProject,
  ZProjectMember,
  ZProjectSetting,
  ZProposal,
  ZProviderConnection,
  ZProvisionRequest,
  ZRun,
  ZRunEvent,
  ZSkill,
  ZSkillMirror,
  ZTask,
  ZTaskEvent,
} from "@mission-control/shared/rows";
import type { z } from "zod";
import { OPEN_INVITE_STATUSES } from "../members/open-invite-statuses.ts";
import { ZProjectInvite } from "../members/project-invite-row.ts";
import { ACTIVE_RUN_STATUSES } from "../runs/active-run-statuses.ts";
import type { TSeqRow } from "./merge-rows.ts";

/** Equality filters of a read: column → value. */
export type TColumnFilter = Readonly<Record<string, string>>;

/** Which rows of a table the dashboard holds while a project is on screen. */
export type TLiveScope =
  /** Every row RLS lets the user see (all their projects): realtime is not filtered. */
  | { kind: "visible" }
  /**
   * The project's rows: realtime is filtered by project_id. `catchUpWhere` narrows what catch-up
   * reads and reconciles (realtime still brings every row of the project).
   */
  | { kind: "project"; catchUpWhere?: TColumnFilter };

/**
 * What a view can hold open on screen (a task thread, a run page, a changeset under review):
 * catch-up re-reads the rows of every open one, whatever their age.
 */
export const WATCH_KINDS = ["task", "run", "changeset"] as const;
/** One of WATCH_KINDS. */
export type TWatchKind = (typeof WATCH_KINDS)[number];

/** One way catch-up re-reads part of a table (window sizes are rows). */
export type TLiveCatchUpPart =
  /** The latest `window` rows of the scope by seq. */
  | { kind: "latest"; window: number }
  /**
   * Every row of the scope matching `pendingWhere` (and, with `pendingIn`, whose column holds one
   * of those values), and the latest `window` others by seq.
   */
  | {
      kind: "pending-and-latest";
      pendingWhere: TColumnFilter;
      pendingIn?: { column: string; values: readonly string[] };
      window: number;
    }
  /** For each chat thread of the project in the store, its latest `window` messages by seq. */
  | { kind: "thread-windows"; window: number }
  /** The deliveries of every operator message of the project in the store, `chunk` messages per read (short query strings). */
  | { kind: "operator-message-deliveries"; chunk: number }
  /**
   * The rows whose `column` names something of kind `watch` open on screen: with a `window`, the
   * latest `window` of each by `newestFirstBy`; without, all of them, 100 ids per read.
   */
  | { kind: "watched"; watch: TWatchKind; column: string; window?: number; newestFirstBy?: "seq" | "created_at" };

/** How catch-up re-reads a table, since realtime may have missed events. */
export type TLiveCatchUp =
  /** The whole scope; a held row of the scope missing from it was deleted meanwhile and goes. */
  | { kind: "whole" }
  | TLiveCatchUpPart
  /** Every row any of the parts reads (a table a list shows in part and pages open one by one). */
  | { kind: "combined"; parts: readonly TLiveCatchUpPart[] };

/** Everything the store, the subscription and catch-up know about one live table. */
export interface TLiveTableDescriptor<Row extends TSeqRow> {
  /** The row at the edge (`@mission-control/shared/rows`). */
  schema: z.ZodType<Row>;
  /** The key of a row in the store (its primary key). */
  keyOf: (row: Row) => string;
  scope: TLiveScope;
  catchUp: TLiveCatchUp;
}

/** Infers a descriptor's row type from its schema, so each table names its schema once. */
function liveTable<Row extends TSeqRow>(descriptor: TLiveTableDescriptor<Row>): TLiveTableDescriptor<Row> {
  return descriptor;
}

const PROJECT: TLiveScope = { kind: "project" };
const WHOLE: TLiveCatchUp = { kind: "whole" };
const PENDING_REQUESTS: TLiveCatchUp = { kind: "pending-and-latest", pendingWhere: { status: "queued" }, window: 50 };

// Keys must be tables of the shared realtime registry (REALTIME_TABLES): another name does not compile.
const DESCRIPTORS = {
  projects: liveTable({ schema: ZProject, keyOf: (row) => row.id, scope: { kind: "visible" }, catchUp: WHOLE }),
  project_members: liveTable({
    schema: ZProjectMember,
    keyOf: (row) => `${row.project_id}:${row.user_id}`,
    scope: PROJECT,
    catchUp: WHOLE,
  }),
  project_settings: liveTable({ schema: ZProjectSetting, keyOf: (row) => `${row.project_id}:${row.key}`, scope: PROJECT, catchUp: WHOLE }),
  // Owners only (RLS): the open invitations always (Settings → Members follows them live), the latest others.
  project_invites: liveTable({
    schema: ZProjectInvite,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "pending-and-latest", pendingWhere: {}, pendingIn: { column: "status", values: OPEN_INVITE_STATUSES }, window: 50 },
  }),
  agents: liveTable({ schema: ZAgent, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  agent_status: liveTable({ schema: ZAgentStatus, keyOf: (row) => row.agent_id, scope: PROJECT, catchUp: WHOLE }),
  activities: liveTable({ schema: ZActivity, keyOf: (row) => row.id, scope: PROJECT, catchUp: { kind: "latest", window: 100 } }),
  // Catch-up re-reads only the mission (the banner shows it); realtime still brings every document of the project.
  brain_docs: liveTable({
    schema: ZBrainDoc,
    keyOf: (row) => row.id,
    scope: { kind: "project", catchUpWhere: { doc_type: "mission" } },
    catchUp: WHOLE,
  }),
  project_chat_threads: liveTable({ schema: ZChatThread, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  project_chat_messages: liveTable({
    schema: ZChatMessage,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "thread-windows", window: 200 },
  }),
  chat_delivery_queue: liveTable({
    schema: ZChatDelivery,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "operator-message-deliveries", chunk: 100 },
  }),
  // A project may hold ten thousand tasks: catch-up re-reads the latest changed (seq rises on every
  // update, so a card moved while the socket was down is among them) and the tasks open on screen.
  // The board reads its columns page by page and the table its older rows (tasks/read-task-pages.ts).
  tasks: liveTable({
    schema: ZTask,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: {
      kind: "combined",
      parts: [
        { kind: "latest", window: 300 },
        { kind: "watched", watch: "task", column: "id" },
      ],
    },
  }),
  task_events: liveTable({
    schema: ZTaskEvent,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "watched", watch: "task", column: "task_id", window: 500, newestFirstBy: "created_at" },
  }),
  action_proposals: liveTable({
    schema: ZProposal,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "pending-and-latest", pendingWhere: { status: "proposed" }, window: 300 },
  }),
  provider_connections: liveTable({ schema: ZProviderConnection, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  budgets: liveTable({ schema: ZBudget, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  model_prices: liveTable({ schema: ZModelPrice, keyOf: (row) => `${row.project_id}:${row.model}`, scope: PROJECT, catchUp: WHOLE }),
  // Queued requests always (the Agents page lists them until applied), and the latest others (failures show their reason).
  agent_provision_requests: liveTable({
    schema: ZProvisionRequest,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "pending-and-latest", pendingWhere: { status: "queued" }, window: 50 },
  }),
  // Runs: every active one and the latest others (the Runs page), the runs of the task threads open
  // on screen, and the runs whose page is open.
  ai_runs: liveTable({
    schema: ZRun,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: {
      kind: "combined",
      parts: [
        { kind: "pending-and-latest", pendingWhere: {}, pendingIn: { column: "status", values: ACTIVE_RUN_STATUSES }, window: 200 },
        { kind: "watched", watch: "task", column: "task_id", window: 50, newestFirstBy: "created_at" },
        { kind: "watched", watch: "run", column: "id" },
      ],
    },
  }),
  // A run's timeline only while its page is open: runs write many events.
  ai_run_events: liveTable({
    schema: ZRunEvent,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "watched", watch: "run", column: "run_id", window: 1000, newestFirstBy: "seq" },
  }),
  // Changesets waiting for review (their approval cards), the latest others, and those of the runs and cards on screen.
  changesets: liveTable({
    schema: ZChangeset,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: {
      kind: "combined",
      parts: [
        { kind: "pending-and-latest", pendingWhere: { status: "proposed" }, window: 100 },
        { kind: "watched", watch: "run", column: "run_id" },
        { kind: "watched", watch: "changeset", column: "id" },
      ],
    },
  }),
  // Files carry whole file contents: read only for the changesets on screen.
  changeset_files: liveTable({
    schema: ZChangesetFile,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "watched", watch: "changeset", column: "changeset_id" },
  }),
  changeset_reviews: liveTable({
    schema: ZChangesetReview,
    keyOf: (row) => row.id,
    scope: PROJECT,
    catchUp: { kind: "watched", watch: "changeset", column: "changeset_id" },
  }),
  skills: liveTable({ schema: ZSkill, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  // The executor's latest verdict per skill (one row each).
  skills_mirror: liveTable({ schema: ZSkillMirror, keyOf: (row) => row.skill_id, scope: PROJECT, catchUp: WHOLE }),
  cron_mirror: liveTable({ schema: ZCronJob, keyOf: (row) => row.id, scope: PROJECT, catchUp: WHOLE }),
  cron_job_runs: liveTable({ schema: ZCronJobRun, keyOf: (row) => row.id, scope: PROJECT, catchUp: { kind: "latest", window: 500 } }),
  // Schedule requests: queued ones always (the Schedule page shows them as pending until an executor applies them), the latest others.
  cron_create_requests: liveTable({ schema: ZCronCreateRequest, keyOf: (row) => row.id, scope: PROJECT, catchUp: PENDING_REQUESTS }),
  cron_job_patch_requests: liveTable({ schema: ZCronJobPatchRequest, keyOf: (row) => row.id, scope: PROJECT, catchUp: PENDING_REQUESTS }),
  cron_delete_requests: liveTable({ schema: ZCronDeleteRequest, keyOf: (row) => row.id, scope: PROJECT, catchUp: PENDING_REQUESTS }),
  cron_run_requests: liveTable({ schema: ZCronRunRequest, keyOf: (row) => row.id, scope: PROJECT, catchUp: PENDING_REQUESTS }),
} satisfies { [K in TRealtimeTable["table"]]?: unknown };

/** Name of a live table the store holds. */
export type TLiveTable = keyof typeof DESCRIPTORS;

/** The row type of a live table. */
export type TLiveRow<K extends TLiveTable> = (typeof DESCRIPTORS)[K] extends TLiveTableDescriptor<infer Row> ? Row : never;

/**
 * The live tables, typed per table so generic code (`LIVE_TABLES[table]` for a `K extends
 * TLiveTable`) gets the descriptor of that table's row.
 */
export const LIVE_TABLES: { readonly [K in TLiveTable]: TLiveTableDescriptor<TLiveRow<K>> } = DESCRIPTORS;

/** True for a table the store holds. */
export function isLiveTable(table: string): table is TLiveTable {
  return Object.hasOwn(LIVE_TABLES, table);
}

/** Every live table name, in registry order. */
export const LIVE_TABLE_NAMES: readonly TLiveTable[] = Object.keys(LIVE_TABLES).filter(isLiveTable);

/** The parts of a table's catch-up (one, unless it is combined). */
export function catchUpPartsOf(table: TLiveTable): readonly (TLiveCatchUpPart | { kind: "whole" })[] {
  const { catchUp } = LIVE_TABLES[table];
  return catchUp.kind === "combined" ? catchUp.parts : [catchUp];
}

/** Parses rows of `table`; rows that do not match the schema are dropped and reported. */
export function parseLiveRows<K extends TLiveTable>(table: K, rows: readonly unknown[]): TLiveRow<K>[] {
  const { schema } = LIVE_TABLES[table];
  const out: TLiveRow<K>[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else console.warn(`Dropped a ${table} row that does not match the dashboard's schema`, parsed.error.issues);
  }
  return out;
}

/** The key of a row of `table`. */
export function keyOfLiveRow<K extends TLiveTable>(table: K, row: TLiveRow<K>): string {
  return LIVE_TABLES[table].keyOf(row);
}

/** The realtime filter of a table's scope for a project; undefined when realtime is not filtered. */
export function realtimeFilterOf(table: TLiveTable, projectId: string): string | undefined {
  return LIVE_TABLES[table].scope.kind === "project" ? `project_id=eq.${projectId}` : undefined;
}

/** The filters catch-up reads a table's scope with. */
export function catchUpFilterOf(table: TLiveTable, projectId: string): TColumnFilter {
  const { scope } = LIVE_TABLES[table];
  return scope.kind === "project" ? { project_id: projectId, ...scope.catchUpWhere } : {};
}

/** True when a row matches every filter (a row of the scope catch-up read). */
export function matchesFilter(row: object, filter: TColumnFilter): boolean {
  return Object.entries(filter).every(([column, value]) => Reflect.get(row, column) === value);
}
