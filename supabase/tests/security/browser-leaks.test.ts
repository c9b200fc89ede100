import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { claimTestRuns, queueTestRun } from "../../testing/run-fixtures.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

const sql = sqlPool();
let f: TProjectFixture;

beforeAll(async () => {
  f = await createProjectFixture("leaks");
  await sql.query(
    `insert into public.project_settings (project_id, key, value) values ($1, 'labs_features', '{"dms": true}'), ($2, 'labs_features', '{"dms": true}')
     on conflict (project_id, key) do update set value = excluded.value`,
    [f.projectId, f.otherProjectId],
  );
});

afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

describe("labs_feature_enabled", () => {
  it("refuses the anon key", async () => {
    const { data, error } = await anonClient().rpc("labs_feature_enabled", { target_project: f.projectId, feature: "dms" });
    expect(data).toBeNull();
    expect(error?.code).toBe("42501");
  });

  it("answers a member about their project and a non-member false", async () => {
    const member = await f.viewer.client.rpc("labs_feature_enabled", { target_project: f.projectId, feature: "dms" });
    expect(member).toMatchObject({ data: true, error: null });
    const outsider = await f.outsider.client.rpc("labs_feature_enabled", { target_project: f.projectId, feature: "dms" });
    expect(outsider).toMatchObject({ data: false, error: null });
    const own = await f.outsider.client.rpc("labs_feature_enabled", { target_project: f.otherProjectId, feature: "dms" });
    expect(own).toMatchObject({ data: true, error: null });
  });

  it("still answers the service role about any project", async () => {
    const { data } = await serviceClient().rpc("labs_feature_enabled", { target_project: f.projectId, feature: "dms" });
    expect(data).toBe(true);
  });
});

describe("executor_presence", () => {
  const serving = `leaks-serving-${crypto.randomUUID().slice(0, 8)}`;
  const idle = `leaks-idle-${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await sql.query(
      "insert into public.executor_presence (id, version, control_api_url) values ($1, 'test', 'http://127.0.0.1:1'), ($2, 'test', 'http://127.0.0.1:2')",
      [serving, idle],
    );
    const runId = await queueTestRun(sql, f.projectId);
    const claimed = await claimTestRuns(sql, serving, runId);
    expect(claimed.map((c) => c.run.id)).toEqual([runId]);
  });

  afterAll(async () => {
    await sql.query("delete from public.executor_presence where id = any ($1)", [[serving, idle]]);
  });

  const visible = async (client: TProjectFixture["viewer"]["client"]) => {
    const { data, error } = await client.from("executor_presence").select("id").in("id", [serving, idle]);
    expect(error).toBeNull();
    return (data ?? []).map((r) => r.id).sort();
  };

  it("shows a member only the executors that have served their project", async () => {
    expect(await visible(f.viewer.client)).toEqual([serving]);
    expect(await visible(f.owner.client)).toEqual([serving]);
  });

  it("shows a member of another project nothing, and anon nothing", async () => {
    expect(await visible(f.outsider.client)).toEqual([]);
    const anon = await anonClient().from("executor_presence").select("id").in("id", [serving, idle]);
    expect(anon.data ?? []).toEqual([]);
  });

  it("still shows the service role every executor", async () => {
    const { data } = await serviceClient().from("executor_presence").select("id").in("id", [serving, idle]);
    expect((data ?? []).map((r) => r.id).sort()).toEqual([idle, serving].sort());
  });
});
