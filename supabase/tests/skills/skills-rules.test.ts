import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

const BUILTIN_KEYS = [
  "api_call_hosts",
  "git",
  "provider_anthropic",
  "provider_builtin",
  "provider_openai_compatible",
  "test_command",
  "workspace_reading",
];

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("skills-rules");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

async function skillId(key: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>("select id from public.skills where project_id = $1 and key = $2", [f.projectId, key]);
  const id = rows[0]?.id;
  if (!id) throw new Error(`no skill ${key}`);
  return id;
}

describe("skills", () => {
  it("gives every new project the built-in skills", async () => {
    const { rows } = await sql.query<{ key: string; builtin: boolean }>(
      "select key, builtin from public.skills where project_id = $1 order by key",
      [f.projectId],
    );
    expect(rows.map((row) => row.key)).toEqual(BUILTIN_KEYS);
    expect(rows.every((row) => row.builtin)).toBe(true);
    const gated = await sql.query<{ tools: string[] }>(
      "select tools from public.skills where project_id = $1 and key = 'workspace_reading'",
      [f.projectId],
    );
    expect(gated.rows[0]?.tools).toEqual(["read_file", "list_files", "search_text"]);
  });

  it("lets members read the skills and strangers nothing", async () => {
    const viewer = await f.viewer.client.from("skills").select("key").eq("project_id", f.projectId);
    expect(viewer.error).toBeNull();
    expect(viewer.data).toHaveLength(BUILTIN_KEYS.length);
    const outsider = await f.outsider.client.from("skills").select("key").eq("project_id", f.projectId);
    expect(outsider.data).toEqual([]);
    const anon = await anonClient().from("skills").select("key").eq("project_id", f.projectId);
    expect(anon.data ?? []).toEqual([]);
  });

  it("lets operators add, edit and remove a skill of their own but not a built-in one", async () => {
    const added = await f.operator.client
      .from("skills")
      .insert({
        project_id: f.projectId,
        key: "deploy",
        name: "Deploy",
        requirements: [{ kind: "env", name: "DEPLOY_TOKEN", description: "The deploy token" }],
        setup_steps: ["export DEPLOY_TOKEN=…"],
      })
      .select("id, builtin")
      .single();
    expect(added.error).toBeNull();
    expect(added.data?.builtin).toBe(false);
    const edited = await f.operator.client
      .from("skills")
      .update({ description: "Ships it" })
      .eq("id", added.data?.id ?? "")
      .select("id");
    expect(edited.data).toHaveLength(1);

    const builtin = await skillId("git");
    const changed = await f.operator.client.from("skills").update({ name: "Not git" }).eq("id", builtin).select("id");
    expect(changed.data).toEqual([]);
    const removed = await f.owner.client.from("skills").delete().eq("id", builtin).select("id");
    expect(removed.data).toEqual([]);
    const fakeBuiltin = await f.operator.client
      .from("skills")
      .insert({ project_id: f.projectId, key: "sneaky", name: "Sneaky", builtin: true });
    expect(fakeBuiltin.error?.code).toBe("42501");

    const gone = await f.operator.client
      .from("skills")
      .delete()
      .eq("id", added.data?.id ?? "")
      .select("id");
    expect(gone.data).toHaveLength(1);
  });

  it("refuses viewers' writes and requirements of an unknown kind", async () => {
    const viewer = await f.viewer.client.from("skills").insert({ project_id: f.projectId, key: "viewer_skill", name: "Mine" });
    expect(viewer.error?.code).toBe("42501");
    const wrongKind = await f.operator.client
      .from("skills")
      .insert({ project_id: f.projectId, key: "odd", name: "Odd", requirements: [{ kind: "magic", name: "x" }] });
    expect(wrongKind.error?.code).toBe("23514");
    const taken = await f.operator.client.from("skills").insert({ project_id: f.projectId, key: "git", name: "My git" });
    expect(taken.error?.code).toBe("23505");
  });

  it("keeps a skill's key", async () => {
    const added = await f.operator.client
      .from("skills")
      .insert({ project_id: f.projectId, key: "lint", name: "Lint" })
      .select("id")
      .single();
    const renamed = await f.operator.client
      .from("skills")
      .update({ key: "lint2" })
      .eq("id", added.data?.id ?? "");
    expect(renamed.error?.code).toBe("22023");
  });
});

describe("skills_mirror", () => {
  it("is written by the service role only and read by members", async () => {
    const id = await skillId("git");
    const row = { skill_id: id, project_id: f.projectId, status: "ready", results: [], reasons: [], checked_by: "test" };
    const denied = await f.owner.client.from("skills_mirror").insert(row);
    expect(denied.error).not.toBeNull();
    const written = await serviceClient().from("skills_mirror").upsert(row).select("status").single();
    expect(written.error).toBeNull();
    const update = await f.owner.client.from("skills_mirror").update({ status: "blocked" }).eq("skill_id", id).select("status");
    expect(update.data ?? []).toEqual([]);
    const read = await f.viewer.client.from("skills_mirror").select("status").eq("skill_id", id).single();
    expect(read.data?.status).toBe("ready");
    const outsider = await f.outsider.client.from("skills_mirror").select("status").eq("skill_id", id);
    expect(outsider.data).toEqual([]);
  });

  it("accepts only the three statuses", async () => {
    const id = await skillId("provider_builtin");
    const odd = await serviceClient()
      .from("skills_mirror")
      .upsert({ skill_id: id, project_id: f.projectId, status: "maybe", checked_by: "test" });
    expect(odd.error?.code).toBe("23514");
  });
});
