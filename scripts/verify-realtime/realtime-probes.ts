import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";

/**
 * What the probes share: a tag naming this run, a throwaway user, and the rows earlier probes
 * made (probes run in registry order, so `projects` comes first).
 */
export interface TProbeFixture {
  tag: string;
  userId: string;
  projectId?: string;
  agentId?: string;
  threadId?: string;
  messageId?: string;
  taskId?: string;
  runId?: string;
  changesetId?: string;
}

/** Writes one valid probe row into a table as the service role (an insert, or an update where rows come from triggers). */
export type TProbe = (db: SupabaseClient, fixture: TProbeFixture) => Promise<void>;

async function must<T>(what: string, promise: PromiseLike<{ data: T; error: { message: string } | null }>): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`${what} failed: ${error.message}`);
  return data;
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new Error(`this probe needs the ${what} probe to run first`);
  return value;
}

/** Creates the probe user the probes hang their rows on. */
export async function createProbeFixture(db: SupabaseClient): Promise<TProbeFixture> {
  const tag = crypto.randomUUID().slice(0, 8);
  const user = await db.auth.admin.createUser({
    email: `realtime-probe-${tag}@verify.invalid`,
    password: crypto.randomUUID(),
    email_confirm: true,
  });
  if (user.error || !user.data.user) throw new Error(`creating the probe user failed: ${user.error?.message}`);
  return { tag, userId: user.data.user.id };
}

/** Removes everything the probes created (deleting the project cascades to its rows). */
export async function removeProbeFixture(db: SupabaseClient, fixture: TProbeFixture): Promise<void> {
  await db.from("projects").delete().eq("slug", `realtime-probe-${fixture.tag}`);
  await db.from("executor_presence").delete().eq("id", `realtime-probe-${fixture.tag}`);
  await db.auth.admin.deleteUser(fixture.userId);
}

/**
 * How to write a valid row into each registered table. A test fails when a registered table has
 * no probe here, so a new live table cannot skip verification.
 */
export const REALTIME_PROBES: Record<string, TProbe> = {
  "public.projects": async (db, f) => {
    const row = await must(
      "insert into projects",
      db
        .from("projects")
        .insert({ name: "Realtime probe", slug: `realtime-probe-${f.tag}` })
        .select("id")
        .single(),
    );
    f.projectId = (row as { id: string }).id;
  },
  "public.project_members": async (db, f) => {
    await must(
      "insert into project_members",
      db.from("project_members").insert({ project_id: need(f.projectId, "projects"), user_id: f.userId, role: "viewer" }),
    );
  },
  "public.project_invites": async (db, f) => {
    // Revoked at once, so no executor mails it.
    await must(
      "insert into project_invites",
      db.from("project_invites").insert({
        project_id: need(f.projectId, "projects"),
        email: `realtime-probe-${f.tag}@verify.invalid`,
        role: "viewer",
        status: "revoked",
        revoked_at: new Date().toISOString(),
      }),
    );
  },
  "public.project_settings": async (db, f) => {
    await must(
      "insert into project_settings",
      db.from("project_settings").insert({ project_id: need(f.projectId, "projects"), key: "labs_features", value: { dms: true } }),
    );
  },
  "public.agents": async (db, f) => {
    const row = await must(
      "insert into agents",
      db
        .from("agents")
        .insert({
          project_id: need(f.projectId, "projects"),
          agent_key: "probe",
          display_name: "Probe",
          // The action_proposals probe proposes a message as this agent.
          tools_enabled: ["send_message"],
          risk_tolerance: "high",
        })
        .select("id")
        .single(),
    );
    f.agentId = (row as { id: string }).id;
  },
  "public.agent_status": async (db, f) => {
    await must(
      "update agent_status",
      db.from("agent_status").update({ status: "idle", current_action: "probing" }).eq("agent_id", need(f.agentId, "agents")),
    );
  },
  "public.activities": async (db, f) => {
    await must(
      "insert into activities",
      db.from("activities").insert({
        project_id: need(f.projectId, "projects"),
        actor_type: "system",
        actor: "verify",
        kind: "verify.probe",
        summary: "Realtime probe",
      }),
    );
  },
  "public.brain_docs": async (db, f) => {
    await must(
      "insert into brain_docs",
      db.from("brain_docs").insert({ project_id: need(f.projectId, "projects"), doc_type: "probe", title: "Realtime probe" }),
    );
  },
  "public.project_chat_threads": async (db, f) => {
    const row = await must(
      "insert into project_chat_threads",
      db
        .from("project_chat_threads")
        .insert({ project_id: need(f.projectId, "projects"), kind: "team_room", thread_key: "team-room" })
        .select("id")
        .single(),
    );
    f.threadId = (row as { id: string }).id;
  },
  "public.project_chat_messages": async (db, f) => {
    const row = await must(
      "insert into project_chat_messages",
      db
        .from("project_chat_messages")
        .insert({
          project_id: need(f.projectId, "projects"),
          thread_id: need(f.threadId, "project_chat_threads"),
          author_type: "system",
          content: "Realtime probe",
        })
        .select("id")
        .single(),
    );
    f.messageId = (row as { id: string }).id;
  },
  "public.chat_delivery_queue": async (db, f) => {
    await must(
      "insert into chat_delivery_queue",
      db.from("chat_delivery_queue").insert({
        project_id: need(f.projectId, "projects"),
        message_id: need(f.messageId, "project_chat_messages"),
        agent_key: "probe",
        status: "failed",
        error: "realtime probe, never delivered",
      }),
    );
  },
  "public.executor_presence": async (db, f) => {
    await must("insert into executor_presence", db.from("executor_presence").insert({ id: `realtime-probe-${f.tag}`, version: "probe" }));
  },
  "public.tasks": async (db, f) => {
    const row = await must(
      "insert into tasks",
      db
        .from("tasks")
        .insert({ project_id: need(f.projectId, "projects"), title: "Realtime probe" })
        .select("id")
        .single(),
    );
    f.taskId = (row as { id: string }).id;
  },
  "public.task_events": async (db, f) => {
    await must(
      "insert into task_events",
      db.from("task_events").insert({
        project_id: need(f.projectId, "projects"),
        task_id: need(f.taskId, "tasks"),
        kind: "agent_update",
        author_type: "agent",
        author_agent_key: "probe",
        content: "Realtime probe",
      }),
    );
  },
  "public.action_proposals": async (db, f) => {
    await must(
      "insert into action_proposals",
      db.from("action_proposals").insert({
        project_id: need(f.projectId, "projects"),
        action_type: "send_message",
        params: { thread_key: "team-room", content: "Realtime probe" },
        risk: "low",
        reversibility: "irreversible",
        proposed_by_agent_key: "probe",
      }),
    );
  },
  "public.cron_mirror": async (db, f) => {
    await must(
      "insert into cron_mirror",
      db.from("cron_mirror").insert({
        project_id: need(f.projectId, "projects"),
        name: "Realtime probe",
        schedule_kind: "every",
        schedule_expr: "30m",
        enabled: false,
      }),
    );
  },
  "public.cron_job_runs": async (db, f) => {
    const projectId = need(f.projectId, "projects");
    const job = await must(
      "insert into cron_mirror (for cron_job_runs)",
      db
        .from("cron_mirror")
        .insert({ project_id: projectId, name: "Realtime probe history", schedule_kind: "every", schedule_expr: "30m", enabled: false })
        .select("id")
        .single(),
    );
    await must(
      "insert into cron_job_runs",
      db
        .from("cron_job_runs")
        .insert({ job_id: need(job?.id, "cron_mirror"), project_id: projectId, scheduled_for: new Date().toISOString(), status: "missed" }),
    );
  },
  "public.cron_create_requests": async (db, f) => {
    await must(
      "insert into cron_create_requests",
      db.from("cron_create_requests").insert({
        project_id: need(f.projectId, "projects"),
        name: "Realtime probe request",
        schedule_kind: "every",
        schedule_expr: "30m",
        enabled: false,
      }),
    );
  },
  "public.cron_job_patch_requests": async (db, f) => {
    await must(
      "insert into cron_job_patch_requests",
      db
        .from("cron_job_patch_requests")
        .insert({ project_id: need(f.projectId, "projects"), job_id: crypto.randomUUID(), patch: { enabled: false } }),
    );
  },
  "public.cron_delete_requests": async (db, f) => {
    await must(
      "insert into cron_delete_requests",
      db.from("cron_delete_requests").insert({ project_id: need(f.projectId, "projects"), job_id: crypto.randomUUID() }),
    );
  },
  "public.cron_run_requests": async (db, f) => {
    await must(
      "insert into cron_run_requests",
      db.from("cron_run_requests").insert({ project_id: need(f.projectId, "projects"), job_id: crypto.randomUUID() }),
    );
  },
  "public.provider_connections": async (db, f) => {
    await must(
      "insert into provider_connections",
      db.from("provider_connections").insert({
        project_id: need(f.projectId, "projects"),
        name: "Realtime probe",
        kind: "openai_compatible",
        base_url: "http://127.0.0.1:9/v1",
        keyless: true,
      }),
    );
  },
  "public.agent_provision_requests": async (db, f) => {
    await must(
      "insert into agent_provision_requests",
      db.from("agent_provision_requests").insert({
        project_id: need(f.projectId, "projects"),
        action: "update",
        agent_key: "probe",
        profile: {},
        status: "failed",
        error: "realtime probe, never applied",
        applied_at: new Date().toISOString(),
      }),
    );
  },
  "public.model_prices": async (db, f) => {
    await must(
      "insert into model_prices",
      db.from("model_prices").insert({
        project_id: need(f.projectId, "projects"),
        model: "realtime-probe",
        input_usd_per_mtok: 0,
        output_usd_per_mtok: 0,
      }),
    );
  },
  "public.budgets": async (db, f) => {
    await must(
      "insert into budgets",
      db.from("budgets").insert({ project_id: need(f.projectId, "projects"), period: "month", unit: "tokens", hard_limit: 1 }),
    );
  },
  "public.ai_runs": async (db, f) => {
    const row = await must(
      "insert into ai_runs",
      db
        .from("ai_runs")
        .insert({
          project_id: need(f.projectId, "projects"),
          agent_key: "probe",
          mode: "plan",
          origin: "runs_page",
          goal: "Realtime probe",
        })
        .select("id")
        .single(),
    );
    f.runId = (row as { id: string }).id;
  },
  "public.ai_run_events": async (db, f) => {
    await must(
      "insert into ai_run_events",
      db.from("ai_run_events").insert({
        project_id: need(f.projectId, "projects"),
        run_id: need(f.runId, "ai_runs"),
        kind: "message",
        summary: "Realtime probe",
      }),
    );
  },
  "public.changesets": async (db, f) => {
    const row = await must(
      "insert into changesets",
      db
        .from("changesets")
        .insert({
          project_id: need(f.projectId, "projects"),
          run_id: need(f.runId, "ai_runs"),
          agent_key: "probe",
          summary: "Realtime probe",
        })
        .select("id")
        .single(),
    );
    f.changesetId = (row as { id: string }).id;
  },
  "public.changeset_files": async (db, f) => {
    await must(
      "insert into changeset_files",
      db.from("changeset_files").insert({
        project_id: need(f.projectId, "projects"),
        changeset_id: need(f.changesetId, "changesets"),
        position: 0,
        path: "realtime-probe.txt",
        change_kind: "add",
        new_content: "probe\n",
        new_sha256: crypto.createHash("sha256").update("probe\n").digest("hex"),
        unified_diff: "@@ -0,0 +1 @@\n+probe\n",
        additions: 1,
      }),
    );
  },
  "public.changeset_reviews": async (db, f) => {
    await must(
      "insert into changeset_reviews",
      db.from("changeset_reviews").insert({
        project_id: need(f.projectId, "projects"),
        changeset_id: need(f.changesetId, "changesets"),
        kind: "nit",
        comment: "Realtime probe",
      }),
    );
  },
  "public.skills": async (db, f) => {
    await must(
      "insert into skills",
      db.from("skills").insert({ project_id: need(f.projectId, "projects"), key: "realtime_probe", name: "Realtime probe" }),
    );
  },
  "public.skills_mirror": async (db, f) => {
    const projectId = need(f.projectId, "projects");
    // Every project has the built-in skills: the probe writes a verdict on one of them.
    const skill = await must(
      "read the built-in git skill (for skills_mirror)",
      db.from("skills").select("id").eq("project_id", projectId).eq("key", "git").single(),
    );
    await must(
      "insert into skills_mirror",
      db
        .from("skills_mirror")
        .upsert({ skill_id: (skill as { id: string }).id, project_id: projectId, status: "ready", checked_by: "realtime-probe" }),
    );
  },
};
