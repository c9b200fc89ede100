import crypto from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";

/**
 * What the probes share: a tag naming this run, a throwaway user, and the probe project (set by
 * the `projects` probe, which runs first because the registry lists it first).
 */
export interface TProbeFixture {
  tag: string;
  userId: string;
  projectId?: string;
}

/** Inserts one valid probe row into a table as the service role. */
export type TProbe = (db: SupabaseClient, fixture: TProbeFixture) => Promise<void>;

async function must<T>(what: string, promise: PromiseLike<{ data: T; error: { message: string } | null }>): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`${what} failed: ${error.message}`);
  return data;
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

/** Removes everything the probes created (the project cascades to its rows). */
export async function removeProbeFixture(db: SupabaseClient, fixture: TProbeFixture): Promise<void> {
  await db.from("projects").delete().eq("slug", `realtime-probe-${fixture.tag}`);
  await db.auth.admin.deleteUser(fixture.userId);
}

/**
 * How to insert a valid row into each registered table. A test fails when a registered table has
 * no probe here, so a new live table cannot skip verification.
 */
export const REALTIME_PROBES: Record<string, TProbe> = {
  "public.projects": async (db, fixture) => {
    const row = await must(
      "insert into projects",
      db
        .from("projects")
        .insert({ name: "Realtime probe", slug: `realtime-probe-${fixture.tag}` })
        .select("id")
        .single(),
    );
    fixture.projectId = (row as { id: string }).id;
  },
  "public.project_members": async (db, fixture) => {
    if (!fixture.projectId) throw new Error("the project_members probe needs the projects probe to run first");
    await must(
      "insert into project_members",
      db.from("project_members").insert({ project_id: fixture.projectId, user_id: fixture.userId, role: "viewer" }),
    );
  },
};
