import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProjectFixture,
  dropProjectFixture,
  insertProposal,
  insertTask,
  type TProjectFixture,
} from "../../testing/project-fixture.ts";
import { runInStatus } from "../../testing/run-fixtures.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

// Every RPC answers 404 for what is not found, 403 for what is not allowed, 400 for bad input and
// 409 for a row in the wrong state, never 500: each case below calls an error path through the
// REST gateway (supabase-js, as the dashboard and the executor do) and checks the HTTP status and
// the SQLSTATE. A sweep then calls every RPC a browser may call with arguments that name nothing.

const sql = sqlPool();
let f: TProjectFixture;
/** Rows the cases refer to, made once. */
const rows = { rejectedProposal: "", completedRun: "", queuedRun: "", planRun: "", task: "" };
const executor = `statuses-${crypto.randomUUID().slice(0, 8)}`;
const unknown = crypto.randomUUID();

beforeAll(async () => {
  f = await createProjectFixture("statuses");
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"dms": true, "team_room": false}')
     on conflict (project_id, key) do update set value = excluded.value`,
    [f.projectId],
  );
  rows.rejectedProposal = await insertProposal(sql, f.projectId);
  const rejected = await f.operator.client.rpc("resolve_action_proposal", {
    p_proposal_id: rows.rejectedProposal,
    p_decision: "reject",
    p_comment: "not now",
  });
  expect(rejected.error).toBeNull();
  rows.completedRun = await runInStatus(sql, f.projectId, "completed");
  rows.queuedRun = await runInStatus(sql, f.projectId, "queued");
  rows.planRun = await runInStatus(sql, f.projectId, "running", {}, executor);
  rows.task = await insertTask(sql, f.projectId);
});

afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

type TWho = "operator" | "viewer" | "outsider" | "service" | "anon";
type TCase = [what: string, who: TWho, fn: string, args: () => Record<string, unknown>, status: number, code: string];

function clientOf(who: TWho): SupabaseClient {
  if (who === "service") return serviceClient();
  if (who === "anon") return anonClient();
  return f[who].client;
}

const cases: TCase[] = [
  // Operators' RPCs.
  [
    "resolve_action_proposal: unknown proposal",
    "operator",
    "resolve_action_proposal",
    () => ({ p_proposal_id: unknown, p_decision: "approve" }),
    404,
    "PT404",
  ],
  [
    "resolve_action_proposal: another project's proposal",
    "outsider",
    "resolve_action_proposal",
    () => ({ p_proposal_id: rows.rejectedProposal, p_decision: "approve" }),
    404,
    "PT404",
  ],
  [
    "resolve_action_proposal: a viewer",
    "viewer",
    "resolve_action_proposal",
    () => ({ p_proposal_id: rows.rejectedProposal, p_decision: "approve" }),
    403,
    "42501",
  ],
  [
    "resolve_action_proposal: an unknown decision",
    "operator",
    "resolve_action_proposal",
    () => ({ p_proposal_id: rows.rejectedProposal, p_decision: "maybe" }),
    400,
    "22023",
  ],
  [
    "resolve_action_proposal: already rejected",
    "operator",
    "resolve_action_proposal",
    () => ({ p_proposal_id: rows.rejectedProposal, p_decision: "approve" }),
    409,
    "PT409",
  ],
  [
    "resolve_action_proposal: not a uuid",
    "operator",
    "resolve_action_proposal",
    () => ({ p_proposal_id: "nope", p_decision: "approve" }),
    400,
    "22P02",
  ],
  [
    "send_chat_message: a DM to an unknown agent",
    "operator",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: "DM:ghost", p_content: "hi" }),
    404,
    "PT404",
  ],
  [
    "send_chat_message: /plan for an unknown agent",
    "operator",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: `DM:${f.agentKey}`, p_content: "/plan @ghost do it" }),
    404,
    "PT404",
  ],
  [
    "send_chat_message: an unknown thread",
    "operator",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: "lobby", p_content: "hi" }),
    400,
    "22023",
  ],
  [
    "send_chat_message: no text",
    "operator",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: `DM:${f.agentKey}`, p_content: "  " }),
    400,
    "22023",
  ],
  [
    "send_chat_message: the Team Room while it is off",
    "operator",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: "team-room", p_content: "hi" }),
    403,
    "42501",
  ],
  [
    "send_chat_message: a viewer",
    "viewer",
    "send_chat_message",
    () => ({ p_project_id: f.projectId, p_thread_key: `DM:${f.agentKey}`, p_content: "hi" }),
    403,
    "42501",
  ],
  ["cancel_ai_run: unknown run", "operator", "cancel_ai_run", () => ({ p_run_id: unknown }), 404, "PT404"],
  ["cancel_ai_run: a completed run", "operator", "cancel_ai_run", () => ({ p_run_id: rows.completedRun }), 409, "PT409"],
  ["cancel_ai_run: a viewer", "viewer", "cancel_ai_run", () => ({ p_run_id: rows.queuedRun }), 403, "42501"],
  [
    "start_ai_run: an unknown agent",
    "operator",
    "start_ai_run",
    () => ({ p_project_id: f.projectId, p_agent_key: "ghost", p_mode: "plan", p_goal: "x" }),
    404,
    "PT404",
  ],
  [
    "start_ai_run: an unknown mode",
    "operator",
    "start_ai_run",
    () => ({ p_project_id: f.projectId, p_agent_key: f.agentKey, p_mode: "dance", p_goal: "x" }),
    400,
    "22023",
  ],
  [
    "start_ai_run: a task of another project",
    "operator",
    "start_ai_run",
    () => ({ p_project_id: f.projectId, p_agent_key: f.agentKey, p_mode: "plan", p_goal: "x", p_task_id: unknown }),
    404,
    "PT404",
  ],
  [
    "start_ai_run: a viewer",
    "viewer",
    "start_ai_run",
    () => ({ p_project_id: f.projectId, p_agent_key: f.agentKey, p_mode: "plan", p_goal: "x" }),
    403,
    "42501",
  ],
  [
    "handoff_ai_task: unknown task",
    "operator",
    "handoff_ai_task",
    () => ({ p_task_id: unknown, p_to_agent_key: f.agentKey, p_note: "" }),
    404,
    "PT404",
  ],
  [
    "handoff_ai_task: an unknown agent",
    "operator",
    "handoff_ai_task",
    () => ({ p_task_id: rows.task, p_to_agent_key: "ghost", p_note: "" }),
    404,
    "PT404",
  ],
  [
    "handoff_ai_task: a bad agent key",
    "operator",
    "handoff_ai_task",
    () => ({ p_task_id: rows.task, p_to_agent_key: "No Such!", p_note: "" }),
    400,
    "22023",
  ],
  [
    "handoff_ai_task: a viewer",
    "viewer",
    "handoff_ai_task",
    () => ({ p_task_id: rows.task, p_to_agent_key: f.agentKey, p_note: "" }),
    403,
    "42501",
  ],
  [
    "reroute_chat_message: unknown message",
    "operator",
    "reroute_chat_message",
    () => ({ p_message_id: unknown, p_agent_key: f.agentKey }),
    404,
    "PT404",
  ],
  [
    "request_changeset_revision: unknown changeset",
    "operator",
    "request_changeset_revision",
    () => ({ p_changeset_id: unknown, p_reviews: [] }),
    404,
    "PT404",
  ],
  [
    "request_changeset_rollback: unknown changeset",
    "operator",
    "request_changeset_rollback",
    () => ({ p_changeset_id: unknown }),
    404,
    "PT404",
  ],
  [
    "add_changeset_review: unknown changeset",
    "operator",
    "add_changeset_review",
    () => ({ p_changeset_id: unknown, p_kind: "nit", p_comment: "x" }),
    404,
    "PT404",
  ],
  ["retry_chat_delivery: unknown delivery", "operator", "retry_chat_delivery", () => ({ p_delivery_id: unknown }), 403, "42501"],
  ["route_task: unknown task", "operator", "route_task", () => ({ p_task_id: unknown }), 403, "42501"],
  [
    "save_brain_doc: a viewer",
    "viewer",
    "save_brain_doc",
    () => ({ p_project_id: f.projectId, p_doc_type: "mission", p_title: "x", p_content: "x", p_base_version: 0 }),
    403,
    "42501",
  ],
  [
    "labs_feature_enabled: the anon key",
    "anon",
    "labs_feature_enabled",
    () => ({ target_project: f.projectId, feature: "dms" }),
    401,
    "42501",
  ],
  ["an RPC that does not exist", "operator", "no_such_rpc", () => ({}), 404, "PGRST202"],
  // The executor's RPCs (service role).
  [
    "finish_action_proposal: unknown proposal",
    "service",
    "finish_action_proposal",
    () => ({ p_proposal_id: unknown, p_executor_id: executor, p_ok: true }),
    404,
    "PT404",
  ],
  [
    "finish_action_proposal: a proposal it does not execute",
    "service",
    "finish_action_proposal",
    () => ({ p_proposal_id: rows.rejectedProposal, p_executor_id: executor, p_ok: true }),
    409,
    "PT409",
  ],
  [
    "finish_ai_run: unknown run",
    "service",
    "finish_ai_run",
    () => ({ p_executor_id: executor, p_run_id: unknown, p_outcome: "completed", p_summary: "x" }),
    404,
    "PT404",
  ],
  [
    "finish_ai_run: an unknown outcome",
    "service",
    "finish_ai_run",
    () => ({ p_executor_id: executor, p_run_id: rows.planRun, p_outcome: "meh", p_summary: "x" }),
    400,
    "22023",
  ],
  [
    "record_ai_run_progress: unknown run",
    "service",
    "record_ai_run_progress",
    () => ({ p_executor_id: executor, p_run_id: unknown, p_events: [] }),
    404,
    "PT404",
  ],
  [
    "record_ai_run_progress: a run it does not hold",
    "service",
    "record_ai_run_progress",
    () => ({ p_executor_id: executor, p_run_id: rows.queuedRun, p_events: [] }),
    409,
    "PT409",
  ],
  [
    "handoff_ai_run: unknown run",
    "service",
    "handoff_ai_run",
    () => ({ p_executor_id: executor, p_run_id: unknown, p_to_agent_key: "other" }),
    404,
    "PT404",
  ],
  [
    "propose_run_changeset: a plan run",
    "service",
    "propose_run_changeset",
    () => ({ p_executor_id: executor, p_run_id: rows.planRun, p_changeset: {} }),
    409,
    "PT409",
  ],
  [
    "finish_changeset_rollback: unknown changeset",
    "service",
    "finish_changeset_rollback",
    () => ({ p_executor_id: executor, p_changeset_id: unknown, p_ok: true }),
    404,
    "PT404",
  ],
  [
    "apply_agent_provision_request: unknown request",
    "service",
    "apply_agent_provision_request",
    () => ({ p_id: unknown, p_profile: {}, p_executor_id: executor }),
    404,
    "PT404",
  ],
  [
    "fail_agent_provision_request: unknown request",
    "service",
    "fail_agent_provision_request",
    () => ({ p_id: unknown, p_error: "x" }),
    404,
    "PT404",
  ],
  ["claim_ai_runs: no executor id", "service", "claim_ai_runs", () => ({ p_executor_id: " ", p_project_ids: [f.projectId] }), 400, "22023"],
];

describe("RPC error statuses through the REST gateway", () => {
  it.each(cases)("%s answers %#", async (_what, who, fn, args, status, code) => {
    const res = await clientOf(who).rpc(fn, args());
    expect({ status: res.status, code: res.error?.code }, res.error?.message).toEqual({ status, code });
  });
});

describe("every RPC a browser may call", () => {
  it("answers a non-member's call that names nothing with a 4xx, never a 5xx", async () => {
    const { rows: fns } = await sql.query<{ name: string; args: Array<{ name: string; type: string }> | null }>(
      `select p.proname as name,
              (select jsonb_agg(jsonb_build_object('name', a.name, 'type', format_type(a.type, null)) order by a.ord)
               from unnest(p.proargnames[1:p.pronargs], p.proargtypes::oid[]) with ordinality as a(name, type, ord)) as args
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
         and has_function_privilege('authenticated', p.oid, 'execute')
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 1`,
    );
    expect(fns.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const fn of fns) {
      const body: Record<string, unknown> = {};
      for (const arg of fn.args ?? []) body[arg.name] = sampleValue(arg.type);
      const res = await f.outsider.client.rpc(fn.name, body);
      if (res.status >= 500) failures.push(`${fn.name}: ${res.status} ${res.error?.code} ${res.error?.message}`);
    }
    expect(failures).toEqual([]);
  });
});

/** A value of a parameter's type that names no row of the caller's. */
function sampleValue(type: string): unknown {
  if (type === "uuid") return crypto.randomUUID();
  if (type === "uuid[]") return [crypto.randomUUID()];
  if (type === "text[]") return ["x"];
  if (type === "integer" || type === "bigint" || type === "numeric" || type === "smallint") return 1;
  if (type === "boolean") return true;
  if (type === "jsonb" || type === "json") return {};
  if (type.startsWith("timestamp")) return new Date().toISOString();
  return "x";
}
