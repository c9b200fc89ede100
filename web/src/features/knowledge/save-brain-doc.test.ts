import { AppError } from "@mission-control/shared/errors";
import { createProjectFixture, dropProjectFixture, type TMember, type TProjectFixture } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { readDocVersions, readProjectDocs } from "./read-brain-docs.ts";
import { docConflictOf, saveBrainDoc } from "./save-brain-doc.ts";

let f: TProjectFixture;
beforeAll(async () => {
  f = await createProjectFixture("web-knowledge");
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

describe("saving knowledge docs (against the local stack)", () => {
  it("creates the mission, saves a new version and reads both back newest first", async () => {
    const input = { projectId: f.projectId, agentKey: null, docType: "mission", title: "Mission" };
    const created = await saveBrainDoc(as(f.operator), { ...input, content: "Ship it.", baseVersion: 0 });
    const saved = await saveBrainDoc(as(f.operator), { ...input, content: "Ship it well.", baseVersion: created.version });
    expect(saved).toMatchObject({ version: 2, content: "Ship it well." });
    expect((await readProjectDocs(as(f.viewer), f.projectId)).map((d) => d.doc_type)).toEqual(["mission"]);
    const versions = await readDocVersions(as(f.viewer), saved.id);
    expect(versions.map((v) => [v.version, v.content, v.author_user_id])).toEqual([
      [2, "Ship it well.", f.operator.userId],
      [1, "Ship it.", f.operator.userId],
    ]);
  });

  it("throws a conflict holding the current text when the save is based on an old version", async () => {
    const input = { projectId: f.projectId, agentKey: f.agentKey, docType: "memory", title: "" };
    await saveBrainDoc(as(f.operator), { ...input, content: "first", baseVersion: 0 });
    await saveBrainDoc(as(f.owner), { ...input, content: "owner's", baseVersion: 1 });
    const err = await saveBrainDoc(as(f.operator), { ...input, content: "mine", baseVersion: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).toMatch(/version 2 is current/);
    expect(docConflictOf(err)).toMatchObject({ current_version: 2, content: "owner's" });
  });

  it("tells a viewer to ask for the operator role", async () => {
    const err = await saveBrainDoc(as(f.viewer), {
      projectId: f.projectId,
      agentKey: null,
      docType: "notes",
      title: "",
      content: "x",
      baseVersion: 0,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "forbidden", message: expect.stringMatching(/operator role/) });
    expect(docConflictOf(err)).toBeNull();
  });
});
