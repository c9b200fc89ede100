import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFixture, dropProjectFixture, type TProjectFixture } from "../../testing/project-fixture.ts";
import { anonClient, serviceClient, sqlPool } from "../../testing/stack-clients.ts";

let sql: pg.Pool;
let f: TProjectFixture;

beforeAll(async () => {
  sql = sqlPool();
  f = await createProjectFixture("knowledge");
});
afterAll(async () => {
  await dropProjectFixture(f);
  await sql.end();
});

interface TSave {
  agentKey?: string | null;
  docType: string;
  title?: string;
  content: string;
  base: number | null;
}

/** Calls save_brain_doc as this client; returns the raw PostgREST answer (status included). */
function save(client: SupabaseClient, s: TSave) {
  return client.rpc("save_brain_doc", {
    p_project_id: f.projectId,
    p_agent_key: s.agentKey ?? null,
    p_doc_type: s.docType,
    p_title: s.title ?? "",
    p_content: s.content,
    p_base_version: s.base,
  });
}

async function versionsOf(docId: string) {
  const { rows } = await sql.query<{ version: number; content: string; author_user_id: string | null; author_agent_key: string | null }>(
    "select version, content, author_user_id, author_agent_key from public.brain_doc_versions where doc_id = $1 order by version",
    [docId],
  );
  return rows;
}

describe("brain doc versions", () => {
  it("appends a version on every save, authored by the operator, and none when nothing changed", async () => {
    const first = await save(f.operator.client, { docType: "runbook", title: "Runbook", content: "v1", base: 0 });
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({ version: 1, content: "v1", title: "Runbook" });
    const docId = (first.data as { id: string }).id;

    const second = await save(f.owner.client, { docType: "runbook", title: "Runbook", content: "v2", base: 1 });
    expect(second.error).toBeNull();
    expect(second.data).toMatchObject({ version: 2, content: "v2" });
    const same = await save(f.owner.client, { docType: "runbook", title: "Runbook", content: "v2", base: 2 });
    expect(same.data).toMatchObject({ version: 2 });

    expect(await versionsOf(docId)).toEqual([
      { version: 1, content: "v1", author_user_id: f.operator.userId, author_agent_key: null },
      { version: 2, content: "v2", author_user_id: f.owner.userId, author_agent_key: null },
    ]);
  });

  it("refuses a stale save with HTTP 412 carrying the current version and text, and keeps the doc", async () => {
    await save(f.operator.client, { agentKey: f.agentKey, docType: "memory", content: "loaded", base: 0 });
    await sql.query(
      "update public.brain_docs set content = 'changed elsewhere' where project_id = $1 and agent_key = $2 and doc_type = 'memory'",
      [f.projectId, f.agentKey],
    );
    const stale = await save(f.operator.client, { agentKey: f.agentKey, docType: "memory", content: "mine", base: 1 });
    expect(stale.status).toBe(412);
    expect(stale.error?.code).toBe("PT412");
    expect(stale.error?.message).toMatch(/after you opened it: version 2 is current, yours was based on 1/);
    expect(JSON.parse(stale.error?.details ?? "{}")).toMatchObject({ current_version: 2, content: "changed elsewhere" });

    const recreate = await save(f.operator.client, { agentKey: f.agentKey, docType: "memory", content: "as new", base: null });
    expect(recreate.status).toBe(412);
    expect(recreate.error?.message).toMatch(/A "memory" doc exists here already \(version 2\)/);

    const overwrite = await save(f.operator.client, { agentKey: f.agentKey, docType: "memory", content: "mine", base: 2 });
    expect(overwrite.data).toMatchObject({ version: 3, content: "mine" });
  });

  it("refuses a doc for an agent that does not exist with a 400 that names it", async () => {
    const res = await save(f.operator.client, { agentKey: "ghost", docType: "memory", content: "x", base: 0 });
    expect(res.status).toBe(400);
    expect(res.error?.message).toMatch(/no agent @ghost/);
  });

  it("authors an approved edit_doc's version by the agent", async () => {
    const res = await serviceClient().rpc("save_brain_doc_as_agent", {
      p_project_id: f.projectId,
      p_agent_key: null,
      p_doc_type: "style_guide",
      p_title: null,
      p_content: "Short sentences.",
      p_author_agent_key: f.agentKey,
    });
    expect(res.error).toBeNull();
    const versions = await versionsOf((res.data as { id: string }).id);
    expect(versions).toEqual([{ version: 1, content: "Short sentences.", author_user_id: null, author_agent_key: f.agentKey }]);
  });
});

describe("brain doc access", () => {
  it("lets viewers read docs and history but not save, and browsers not change text directly", async () => {
    const created = await save(f.operator.client, { docType: "notes", content: "team notes", base: 0 });
    const docId = (created.data as { id: string }).id;

    const refused = await save(f.viewer.client, { docType: "notes", content: "viewer text", base: 1 });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toMatch(/Only owners and operators can change docs/);
    const read = await f.viewer.client.from("brain_doc_versions").select("version, content").eq("doc_id", docId);
    expect(read.data).toEqual([{ version: 1, content: "team notes" }]);

    const direct = await f.operator.client.from("brain_docs").update({ content: "no version" }).eq("id", docId).select("id");
    expect(direct.data ?? []).toEqual([]);
    const outsider = await f.outsider.client.from("brain_doc_versions").select("id").eq("doc_id", docId);
    expect(outsider.data).toEqual([]);
    const stillThere = await sql.query("select content, version from public.brain_docs where id = $1", [docId]);
    expect(stillThere.rows[0]).toEqual({ content: "team notes", version: 1 });
  });

  it("gives the anon key nothing", async () => {
    const anon = anonClient();
    const read = await anon.from("brain_doc_versions").select("id");
    expect(read.error).not.toBeNull();
    const res = await anon.rpc("save_brain_doc", {
      p_project_id: f.projectId,
      p_agent_key: null,
      p_doc_type: "notes",
      p_title: "",
      p_content: "anon",
      p_base_version: 1,
    });
    expect(res.error).not.toBeNull();
  });

  it("keeps versions append-only for every role, the superuser included, and writable by no client", async () => {
    const created = await save(f.operator.client, { docType: "playbook", content: "p1", base: 0 });
    const docId = (created.data as { id: string }).id;
    await expect(sql.query("update public.brain_doc_versions set content = 'rewritten' where doc_id = $1", [docId])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query("delete from public.brain_doc_versions where doc_id = $1", [docId])).rejects.toThrow(/append-only/);
    const insert = await f.owner.client
      .from("brain_doc_versions")
      .insert({ doc_id: docId, project_id: f.projectId, version: 9, title: "", content: "forged" });
    expect(insert.error?.code).toBe("42501");
    const update = await f.owner.client.from("brain_doc_versions").update({ content: "x" }).eq("doc_id", docId);
    expect(update.error?.code).toBe("42501");
    expect(await versionsOf(docId)).toHaveLength(1);
  });

  it("removes a doc's history with the doc", async () => {
    const created = await save(f.operator.client, { docType: "scratch", content: "s1", base: 0 });
    const docId = (created.data as { id: string }).id;
    const removed = await f.operator.client.from("brain_docs").delete().eq("id", docId).select("id");
    expect(removed.data).toHaveLength(1);
    expect(await versionsOf(docId)).toEqual([]);
  });
});
