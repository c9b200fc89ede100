import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;
let customId: string;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("skills-edit");
  const { data, error } = await f.operator.client
    .from("skills")
    .insert({ project_id: f.projectId, key: "deploy", name: "Deploy", requirements: [{ kind: "env", name: "DEPLOY_TOKEN" }] })
    .select("id")
    .single();
  if (error) throw new Error(error.message);
  customId = data.id;
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

const row = async (id: string) =>
  (
    await sql.query("select name, description, requirements, setup_steps, tools, builtin, created_by from public.skills where id = $1", [
      id,
    ])
  ).rows[0];

describe("editing skills", () => {
  it("lets an operator edit the name, description, requirements, setup steps and tools of a skill they added", async () => {
    const edit = {
      name: "Deploy to staging",
      description: "Ships the main branch",
      requirements: [
        { kind: "env", name: "STAGING_TOKEN", description: "The staging token" },
        { kind: "program", name: "docker" },
      ],
      setup_steps: ["export STAGING_TOKEN=…", "sudo apt-get install -y docker.io"],
      tools: ["api_call"],
    };
    const { data, error } = await f.operator.client.from("skills").update(edit).eq("id", customId).select("id");
    expect(error).toBeNull();
    expect(data).toHaveLength(1);
    expect(await row(customId)).toMatchObject({ ...edit, builtin: false, created_by: f.operator.userId });
  });

  it("keeps built-in skills read-only for every member, owners included", async () => {
    const { rows } = await sql.query<{ id: string; name: string }>(
      "select id, name from public.skills where project_id = $1 and key = 'git'",
      [f.projectId],
    );
    const git = rows[0];
    if (!git) throw new Error("no git skill");
    for (const member of [f.owner, f.operator]) {
      const changed = await member.client.from("skills").update({ name: "Not git", requirements: [] }).eq("id", git.id).select("id");
      expect(changed.data ?? []).toEqual([]);
    }
    expect((await row(git.id))?.name).toBe(git.name);
  });

  it("refuses viewers, bad requirements, and changes to where a skill comes from", async () => {
    const viewer = await f.viewer.client.from("skills").update({ name: "Mine now" }).eq("id", customId).select("id");
    expect(viewer.data ?? []).toEqual([]);
    const badKind = await f.operator.client
      .from("skills")
      .update({ requirements: [{ kind: "magic", name: "x" }] })
      .eq("id", customId);
    expect([badKind.status, badKind.error?.code]).toEqual([400, "23514"]);
    const builtin = await f.operator.client.from("skills").update({ builtin: true }).eq("id", customId);
    // The guard answers before RLS's with check (which refuses a row that would become built-in, too).
    expect([builtin.status, builtin.error?.code]).toEqual([400, "22023"]);
    const author = await f.operator.client.from("skills").update({ created_by: f.owner.userId }).eq("id", customId);
    expect([author.status, author.error?.code, author.error?.message]).toEqual([
      400,
      "22023",
      expect.stringContaining("keeps where it comes from"),
    ]);
    expect((await row(customId))?.name).toBe("Deploy to staging");
  });
});
