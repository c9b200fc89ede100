import crypto from "node:crypto";
import { AGENT_TOOLS } from "@mission-control/shared/schemas";
import type { TAdminClient } from "./admin-client.ts";

/** The seeded local operator (supabase/seed.sql). */
export const OPERATOR = { email: "operator@example.com", password: "mission-control", userId: "00000000-0000-4000-8000-00000000000a" };

/** A project made for one test, so tests never share messages. */
export interface TTestProject {
  id: string;
  slug: string;
  name: string;
  agents: Record<string, string>;
}

/**
 * Creates a project with the given members, labs flags and agents (built-in model) through the
 * service role. Its slug is unique, so each test gets its own rows.
 */
export async function createTestProject(
  admin: TAdminClient,
  options: {
    label: string;
    labs?: { team_room?: boolean; dms?: boolean };
    members?: { userId: string; role: "owner" | "operator" | "viewer" }[];
    agents?: { agent_key: string; display_name: string; role?: string }[];
  },
): Promise<TTestProject> {
  const slug = `${options.label}-${crypto.randomUUID().slice(0, 8)}`;
  const name = `E2E ${options.label}`;
  const project = await admin.from("projects").insert({ name, slug }).select("id").single();
  if (project.error) throw new Error(`could not create the test project: ${project.error.message}`);
  const id = project.data.id;
  const members = options.members ?? [{ userId: OPERATOR.userId, role: "owner" }];
  const added = await admin.from("project_members").insert(members.map((m) => ({ project_id: id, user_id: m.userId, role: m.role })));
  if (added.error) throw new Error(`could not add members: ${added.error.message}`);
  const settings = await admin.from("project_settings").insert([
    { project_id: id, key: "labs_features", value: { team_room: false, dms: false, ...options.labs } },
    { project_id: id, key: "team_room", value: { agent_posts_per_hour: 20 } },
  ]);
  if (settings.error) throw new Error(`could not write settings: ${settings.error.message}`);
  const agents = options.agents ?? [
    { agent_key: "lead", display_name: "Lead", role: "Plans the work." },
    { agent_key: "web", display_name: "Web", role: "Builds the dashboard." },
  ];
  const inserted = await admin
    .from("agents")
    .insert(
      agents.map((a) => ({
        project_id: id,
        agent_key: a.agent_key,
        display_name: a.display_name,
        role: a.role ?? "",
        system_prompt: `You are ${a.display_name}.`,
        // The approval specs propose every kind of action at every risk level.
        tools_enabled: [...AGENT_TOOLS],
        risk_tolerance: "high",
      })),
    )
    .select("id, agent_key");
  if (inserted.error) throw new Error(`could not add agents: ${inserted.error.message}`);
  await admin
    .from("brain_docs")
    .insert({ project_id: id, doc_type: "mission", title: "Mission", content: `Prove ${options.label} end to end.` });
  return { id, slug, name, agents: Object.fromEntries(inserted.data.map((a) => [a.agent_key, a.id])) };
}

/** Creates a confirmed user through the admin API. */
export async function createUser(admin: TAdminClient, label: string): Promise<{ userId: string; email: string; password: string }> {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error || !created.data.user) throw new Error(`could not create a user: ${created.error?.message}`);
  return { userId: created.data.user.id, email, password };
}

/** Ensures a DM thread exists (as send_chat_message would create it) and returns its id. */
export async function ensureDmThread(admin: TAdminClient, projectId: string, agentKey: string): Promise<string> {
  const threadKey = `DM:${agentKey}`;
  await admin
    .from("project_chat_threads")
    .upsert(
      { project_id: projectId, kind: "dm", thread_key: threadKey, agent_key: agentKey, title: `DM with ${agentKey}` },
      { onConflict: "project_id,thread_key", ignoreDuplicates: true },
    );
  const thread = await admin.from("project_chat_threads").select("id").eq("project_id", projectId).eq("thread_key", threadKey).single();
  if (thread.error) throw new Error(`could not read the DM thread: ${thread.error.message}`);
  return thread.data.id;
}

/** Writes an agent message straight into a thread, as the executor would (service role). */
export async function insertAgentMessage(
  admin: TAdminClient,
  projectId: string,
  threadId: string,
  agentKey: string,
  content: string,
): Promise<string> {
  const row = await admin
    .from("project_chat_messages")
    .insert({
      project_id: projectId,
      thread_id: threadId,
      author_type: "agent",
      author_agent_key: agentKey,
      content,
      metadata: { model: "builtin-offline", provider: "builtin", offline: true, usage: { input_tokens: 12, output_tokens: 7 } },
    })
    .select("id")
    .single();
  if (row.error) throw new Error(`could not insert the agent message: ${row.error.message}`);
  return row.data.id;
}
