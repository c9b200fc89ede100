import crypto from "node:crypto";
import { AGENT_TOOLS } from "@mission-control/shared/schemas";
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { serviceClient, signedInClient } from "./stack-clients.ts";

/** A signed-in test user. */
export interface TMember {
  client: SupabaseClient;
  userId: string;
}

/** A project of its own per test file: an owner, an operator, a viewer, a member of another project, and one agent (every tool, any risk). */
export interface TProjectFixture {
  projectId: string;
  otherProjectId: string;
  owner: TMember;
  operator: TMember;
  viewer: TMember;
  outsider: TMember;
  agentKey: string;
}

async function must<T>(what: string, promise: PromiseLike<{ data: T; error: { message: string } | null }>): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`${what} failed: ${error.message}`);
  return data;
}

/** Creates the project, its members and agent with the service role, so test files never share rows. */
export async function createProjectFixture(label: string): Promise<TProjectFixture> {
  const db = serviceClient();
  const tag = crypto.randomUUID().slice(0, 8);
  const [owner, operator, viewer, outsider] = await Promise.all([
    signedInClient(`${label}-owner`),
    signedInClient(`${label}-operator`),
    signedInClient(`${label}-viewer`),
    signedInClient(`${label}-outsider`),
  ]);
  const projects = (await must(
    "insert projects",
    db
      .from("projects")
      .insert([
        { name: `${label} project`, slug: `${label}-${tag}` },
        { name: `${label} other project`, slug: `${label}-other-${tag}` },
      ])
      .select("id,slug"),
  )) as Array<{ id: string; slug: string }>;
  const projectId = projects.find((p) => p.slug === `${label}-${tag}`)?.id ?? "";
  const otherProjectId = projects.find((p) => p.slug === `${label}-other-${tag}`)?.id ?? "";
  await must(
    "insert project_members",
    db.from("project_members").insert([
      { project_id: projectId, user_id: owner.userId, role: "owner" },
      { project_id: projectId, user_id: operator.userId, role: "operator" },
      { project_id: projectId, user_id: viewer.userId, role: "viewer" },
      { project_id: otherProjectId, user_id: outsider.userId, role: "owner" },
    ]),
  );
  // Builder may propose every action at any risk, so proposal tests are not held back by its profile.
  await must(
    "insert agents",
    db.from("agents").insert({
      project_id: projectId,
      agent_key: "builder",
      display_name: "Builder",
      tools_enabled: [...AGENT_TOOLS],
      risk_tolerance: "high",
    }),
  );
  return { projectId, otherProjectId, owner, operator, viewer, outsider, agentKey: "builder" };
}

/** Deletes both projects (rows cascade, append-only tables included). */
export async function dropProjectFixture(f: TProjectFixture): Promise<void> {
  await serviceClient().from("projects").delete().in("id", [f.projectId, f.otherProjectId]);
}

/** Inserts a task as the superuser and returns its id. */
export async function insertTask(sql: pg.Pool, projectId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const row = { project_id: projectId, title: "A task", ...fields };
  const cols = Object.keys(row);
  const { rows } = await sql.query<{ id: string }>(
    `insert into public.tasks (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")}) returning id`,
    Object.values(row),
  );
  return rows[0]?.id ?? "";
}

/** Inserts an action proposal as the superuser (what the executor does for an agent) and returns its id. */
export async function insertProposal(sql: pg.Pool, projectId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const row: Record<string, unknown> = {
    project_id: projectId,
    action_type: "file_write",
    params: { path: "notes/plan.md", content: "# Plan\n" },
    risk: "medium",
    reversibility: "reversible",
    rollback_plan: "Restore the previous content",
    proposed_by_agent_key: "builder",
    ...fields,
  };
  const cols = Object.keys(row);
  const values = Object.values(row).map((v) => (v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v));
  const { rows } = await sql.query<{ id: string }>(
    `insert into public.action_proposals (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")}) returning id`,
    values,
  );
  return rows[0]?.id ?? "";
}
