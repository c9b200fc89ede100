import * as schemas from "@mission-control/shared/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlPool } from "../../testing/stack-clients.ts";

/**
 * The `table.column`s whose SQL `check (column in (...))` enforces each enum of
 * `@mission-control/shared/schemas` (every exported array of strings there is one).
 */
const CHECKED_COLUMNS = {
  MEMBER_ROLES: ["project_members.role", "project_invites.role"],
  INVITE_STATUSES: ["project_invites.status"],
  AGENT_PROVIDERS: ["agents.provider", "provider_calls.provider"],
  AGENT_VERBOSITIES: ["agents.verbosity"],
  AGENT_STATUSES: ["agent_status.status"],
  AUTHOR_TYPES: ["activities.actor_type", "project_chat_messages.author_type", "task_events.author_type"],
  THREAD_KINDS: ["project_chat_threads.kind"],
  MESSAGE_TYPES: ["project_chat_messages.message_type"],
  MESSAGE_STATUSES: ["project_chat_messages.status"],
  DELIVERY_STATUSES: ["chat_delivery_queue.status"],
  TASK_STATUSES: ["tasks.status"],
  TASK_PRIORITIES: ["tasks.priority"],
  TASK_EVENT_KINDS: ["task_events.kind"],
  TASK_EVENT_LEGACY_SOURCES: ["task_events.legacy_source"],
  SCHEDULE_KINDS: ["cron_mirror.schedule_kind", "cron_create_requests.schedule_kind"],
  MISSED_POLICIES: ["cron_mirror.missed_policy", "cron_create_requests.missed_policy"],
  CRON_JOB_RUN_STATUSES: ["cron_job_runs.status"],
  CRON_PRODUCED_KINDS: ["cron_job_runs.produced_kind"],
  CRON_REQUEST_STATUSES: [
    "cron_create_requests.status",
    "cron_job_patch_requests.status",
    "cron_delete_requests.status",
    "cron_run_requests.status",
  ],
  ACTION_TYPES: ["action_proposals.action_type"],
  ACTION_PROPOSAL_STATUSES: ["action_proposals.status"],
  RISK_LEVELS: ["action_proposals.risk", "agents.risk_tolerance", "changesets.risk"],
  REVERSIBILITIES: ["action_proposals.reversibility"],
  PROVIDER_CONNECTION_KINDS: ["provider_connections.kind"],
  AGENT_TOOLS: ["agents.tools_enabled", "skills.tools"],
  PROVISION_ACTIONS: ["agent_provision_requests.action"],
  PROVISION_STATUSES: ["agent_provision_requests.status"],
  BUDGET_PERIODS: ["budgets.period"],
  BUDGET_UNITS: ["budgets.unit"],
  PROVIDER_CALL_OUTCOMES: ["provider_calls.outcome"],
  BUDGET_ALERT_LEVELS: ["budget_alerts.level"],
  RUN_MODES: ["ai_runs.mode"],
  RUN_STATUSES: ["ai_runs.status"],
  RUN_ORIGINS: ["ai_runs.origin"],
  RUN_EVENT_KINDS: ["ai_run_events.kind"],
  CHANGESET_STATUSES: ["changesets.status"],
  CHANGESET_FILE_KINDS: ["changeset_files.change_kind"],
  CHANGESET_FILE_DECISIONS: ["changeset_files.decision"],
  CHANGESET_REVIEW_KINDS: ["changeset_reviews.kind"],
  SKILL_STATUSES: ["skills_mirror.status"],
} satisfies Partial<Record<keyof typeof schemas, string[]>>;

/**
 * The enums that no check lists but a column's default holds: the `table.column` whose default
 * array is exactly the enum's values, in its order.
 */
const DEFAULTED_COLUMNS = {
  // Reading changes nothing: every new agent may use the read-only tools.
  READ_ONLY_TOOLS: "agents.tools_enabled",
} satisfies Partial<Record<keyof typeof schemas, string>>;

/**
 * The arrays of strings shared exports that no column holds, each with the reason, so a new
 * column enum cannot skip its check by accident.
 */
const NOT_COLUMN_ENUMS = {
  DEFAULT_RUN_TEST_ALLOWLIST: "the programs a test command may start when the executor's RUN_TEST_ALLOWLIST is unset: stored nowhere",
  SKILL_REQUIREMENT_KINDS: "the kind of each element of skills.requirements: checked inside the jsonb by public.is_skill_requirements",
} satisfies Partial<Record<keyof typeof schemas, string>>;

/** Every enum shared exports, by name. */
const SHARED_ENUMS = Object.entries(schemas as Record<string, unknown>).filter(
  (entry): entry is [string, readonly string[]] => Array.isArray(entry[1]) && entry[1].every((value) => typeof value === "string"),
);
const CHECKED_ENUMS = SHARED_ENUMS.filter(([name]) => !Object.hasOwn(DEFAULTED_COLUMNS, name) && !Object.hasOwn(NOT_COLUMN_ENUMS, name));
const DEFAULTED_ENUMS = SHARED_ENUMS.filter(([name]) => Object.hasOwn(DEFAULTED_COLUMNS, name));

/** The value of a column's default, evaluated (null when it has none). */
async function readColumnDefault(pool: ReturnType<typeof sqlPool>, column: string): Promise<unknown> {
  const [table, name] = column.split(".");
  const { rows } = await pool.query<{ expression: string | null }>(
    "select column_default as expression from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = $2",
    [table, name],
  );
  const expression = rows[0]?.expression;
  if (!expression) return null;
  const evaluated = await pool.query<{ value: unknown }>(`select ${expression} as value`);
  return evaluated.rows[0]?.value ?? null;
}

// `check (role in ('owner', 'viewer'))` reads back as `CHECK ((role = ANY (ARRAY['owner'::text, 'viewer'::text])))`, and
// an array column's `check (tools <@ array['a', 'b']::text[])` as `CHECK ((tools <@ ARRAY['a'::text, 'b'::text]))`.
const ENUM_CHECK = /^CHECK \(\((\w+) (?:= ANY \(ARRAY\[(.+)\]\)|<@ ARRAY\[(.+)\])\)\)$/;
const LITERAL = /'((?:[^']|'')*)'::text/g;

/** The enum-style check constraints of the public schema: `table.column` → the values it allows. */
async function readEnumChecks(pool: ReturnType<typeof sqlPool>): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string; definition: string }>(
    `select c.relname as table_name, pg_get_constraintdef(k.oid) as definition
       from pg_constraint k join pg_class c on c.oid = k.conrelid
      where k.contype = 'c' and k.connamespace = 'public'::regnamespace`,
  );
  const checks = new Map<string, string[]>();
  for (const { table_name, definition } of rows) {
    const match = ENUM_CHECK.exec(definition);
    const list = match?.[2] ?? match?.[3];
    if (!match?.[1] || !list) continue;
    const values = [...list.matchAll(LITERAL)].map((literal) => (literal[1] ?? "").replaceAll("''", "'"));
    checks.set(`${table_name}.${match[1]}`, values);
  }
  return checks;
}

/** What only one side lists, in words; empty when both list the same values. */
function describeDifference(column: string, shared: readonly string[], sql: readonly string[]): string {
  const onlyShared = shared.filter((value) => !sql.includes(value));
  const onlySql = sql.filter((value) => !shared.includes(value));
  if (onlyShared.length === 0 && onlySql.length === 0) return "";
  return `${column}: only in shared [${onlyShared.join(", ")}], only in the SQL check [${onlySql.join(", ")}]`;
}

const pool = sqlPool();
let checks = new Map<string, string[]>();
beforeAll(async () => {
  checks = await readEnumChecks(pool);
});
afterAll(() => pool.end());

describe("the enums in @mission-control/shared/schemas after all migrations", () => {
  it("finds the enums and the checks to compare", () => {
    expect(SHARED_ENUMS.length).toBeGreaterThan(0);
    expect(checks.size).toBeGreaterThan(0);
  });

  it.each(CHECKED_ENUMS)("%s lists exactly the values of the SQL checks that enforce it", (name, values) => {
    const columns: readonly string[] | undefined = Reflect.get(CHECKED_COLUMNS, name);
    expect(
      columns,
      `${name} has no SQL check listed: add the table.column whose check enforces it to CHECKED_COLUMNS, or add that check in a migration`,
    ).toBeDefined();
    for (const column of columns ?? []) {
      const sql = checks.get(column);
      expect(sql, `${name}: no check (${column.split(".")[1]} in (...)) on table ${column.split(".")[0]}`).toBeDefined();
      const difference = describeDifference(column, values, sql ?? []);
      expect(difference, difference).toBe("");
    }
  });

  it.each(DEFAULTED_ENUMS)("%s lists exactly the values of the column default that holds it", async (name, values) => {
    const column: string = Reflect.get(DEFAULTED_COLUMNS, name);
    expect(await readColumnDefault(pool, column), `${name}: the default of ${column}`).toEqual([...values]);
  });

  it("has a shared enum for every check that lists the values of a column", () => {
    const listed = new Set(Object.values(CHECKED_COLUMNS).flat());
    const unlisted = [...checks.keys()].filter((column) => !listed.has(column)).sort();
    expect(unlisted, "add an `as const` array to shared/src/schemas/column-enums.ts and list its columns in CHECKED_COLUMNS").toEqual([]);
  });
});
