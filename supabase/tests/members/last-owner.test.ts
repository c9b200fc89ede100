import crypto from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { serviceClient, signedInClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("last-owner");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

const LAST_OWNER = /is the last owner of project "last-owner project": make another member an owner first/;

async function roleOf(userId: string, projectId = f.projectId): Promise<string | null> {
  const { rows } = await sql.query<{ role: string }>("select role from public.project_members where project_id = $1 and user_id = $2", [
    projectId,
    userId,
  ]);
  return rows[0]?.role ?? null;
}

async function owners(projectId = f.projectId): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    "select count(*)::int as n from public.project_members where project_id = $1 and role = 'owner'",
    [projectId],
  );
  return rows[0]?.n ?? -1;
}

describe("the last owner of a project", () => {
  it("cannot leave (409, says to make another member an owner first)", async () => {
    const { error, status } = await f.owner.client.rpc("remove_project_member", { p_project_id: f.projectId, p_user_id: f.owner.userId });
    expect(status).toBe(409);
    expect(error?.code).toBe("PT409");
    expect(error?.message).toMatch(LAST_OWNER);
    expect(await roleOf(f.owner.userId)).toBe("owner");
  });

  it.each(["operator", "viewer"])("cannot demote themselves to %s", async (role) => {
    const { error, status } = await f.owner.client.rpc("change_project_member_role", {
      p_project_id: f.projectId,
      p_user_id: f.owner.userId,
      p_role: role,
    });
    expect(status).toBe(409);
    expect(error?.message).toMatch(LAST_OWNER);
    expect(await roleOf(f.owner.userId)).toBe("owner");
  });

  it("cannot be removed or demoted by a direct table write of the owner", async () => {
    const update = await f.owner.client
      .from("project_members")
      .update({ role: "viewer" })
      .eq("project_id", f.projectId)
      .eq("user_id", f.owner.userId);
    expect(update.status).toBe(409);
    const remove = await f.owner.client.from("project_members").delete().eq("project_id", f.projectId).eq("user_id", f.owner.userId);
    expect(remove.status).toBe(409);
    expect(await roleOf(f.owner.userId)).toBe("owner");
  });

  it("cannot be removed or demoted by the service role", async () => {
    const db = serviceClient();
    const update = await db
      .from("project_members")
      .update({ role: "operator" })
      .eq("project_id", f.projectId)
      .eq("user_id", f.owner.userId);
    expect(update.error?.code).toBe("PT409");
    const remove = await db.from("project_members").delete().eq("project_id", f.projectId).eq("user_id", f.owner.userId);
    expect(remove.error?.code).toBe("PT409");
    const everyone = await db.from("project_members").delete().eq("project_id", f.projectId);
    expect(everyone.error?.code).toBe("PT409");
    expect(await roleOf(f.owner.userId)).toBe("owner");
    expect(await roleOf(f.viewer.userId)).toBe("viewer");
  });

  it("cannot be removed or moved to another project by the superuser", async () => {
    await expect(sql.query("delete from public.project_members where project_id = $1 and role = 'owner'", [f.projectId])).rejects.toThrow(
      LAST_OWNER,
    );
    await expect(
      sql.query("update public.project_members set project_id = $2 where project_id = $1 and user_id = $3", [
        f.projectId,
        f.otherProjectId,
        f.owner.userId,
      ]),
    ).rejects.toThrow(LAST_OWNER);
    expect(await owners()).toBe(1);
  });

  it("can leave once another member is an owner", async () => {
    const project = await createProjectFixture("hand-over");
    try {
      const promote = await project.owner.client.rpc("change_project_member_role", {
        p_project_id: project.projectId,
        p_user_id: project.operator.userId,
        p_role: "owner",
      });
      expect(promote.error).toBeNull();
      const leave = await project.owner.client.rpc("remove_project_member", {
        p_project_id: project.projectId,
        p_user_id: project.owner.userId,
      });
      expect(leave.error).toBeNull();
      expect(await roleOf(project.owner.userId, project.projectId)).toBeNull();
      // Now the operator-turned-owner is the last one.
      const again = await project.operator.client.rpc("remove_project_member", {
        p_project_id: project.projectId,
        p_user_id: project.operator.userId,
      });
      expect(again.status).toBe(409);
    } finally {
      await dropProjectFixture(project);
    }
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const project = await createProjectFixture("demote-race");
    try {
      await sql.query("update public.project_members set role = 'owner' where project_id = $1 and user_id = $2", [
        project.projectId,
        project.operator.userId,
      ]);
      expect(await owners(project.projectId)).toBe(2);
      const [a, b] = await Promise.all([
        project.owner.client.rpc("change_project_member_role", {
          p_project_id: project.projectId,
          p_user_id: project.operator.userId,
          p_role: "viewer",
        }),
        project.operator.client.rpc("change_project_member_role", {
          p_project_id: project.projectId,
          p_user_id: project.owner.userId,
          p_role: "viewer",
        }),
      ]);
      expect(await owners(project.projectId)).toBe(1);
      // Exactly one of them went through, or the second was refused as the last owner's demotion.
      const refused = [a, b].filter((r) => r.error !== null);
      for (const r of refused) expect(r.status === 409 || r.status === 403).toBe(true);
      expect(refused.length).toBeGreaterThanOrEqual(1);
    } finally {
      await dropProjectFixture(project);
    }
  });

  it("goes with the project when the project is deleted", async () => {
    const project = await createProjectFixture("delete-project");
    await dropProjectFixture(project);
    const { rows } = await sql.query("select 1 from public.project_members where project_id = $1", [project.projectId]);
    expect(rows).toEqual([]);
  });

  it("goes with the account when the account is deleted", async () => {
    const user = await signedInClient("last-owner-account");
    const slug = `account-gone-${crypto.randomUUID().slice(0, 8)}`;
    const { rows } = await sql.query<{ id: string }>("insert into public.projects (name, slug) values ('Account gone', $1) returning id", [
      slug,
    ]);
    const projectId = rows[0]?.id ?? "";
    try {
      await sql.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'owner')", [projectId, user.userId]);
      const deleted = await serviceClient().auth.admin.deleteUser(user.userId);
      expect(deleted.error).toBeNull();
      expect(await roleOf(user.userId, projectId)).toBeNull();
    } finally {
      await sql.query("delete from public.projects where id = $1", [projectId]);
    }
  });
});
