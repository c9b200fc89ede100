import { AppError } from "@mission-control/shared/errors";
import { createProjectFixture, dropProjectFixture, type TMember, type TProjectFixture } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { createBrainDoc, deleteBrainDoc, updateBrainDoc } from "./brain-doc-writes.ts";
import { readAgentBrainDocs } from "./read-agent-history.ts";

let f: TProjectFixture;
beforeAll(async () => {
  f = await createProjectFixture("web-brain-docs");
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

describe("an agent's brain docs (against the local stack)", () => {
  it("lets an operator create, edit and delete an agent's doc, and every member read it", async () => {
    const doc = await createBrainDoc(as(f.operator), {
      projectId: f.projectId,
      agentKey: f.agentKey,
      docType: "memory",
      title: " Memory ",
      content: "- ships on Fridays",
    });
    expect(doc).toMatchObject({ agent_key: f.agentKey, doc_type: "memory", title: "Memory" });
    const edited = await updateBrainDoc(as(f.operator), doc, { title: "Memory", content: "- ships on Mondays", baseVersion: doc.version });
    expect(edited.content).toBe("- ships on Mondays");
    const read = await readAgentBrainDocs(as(f.viewer), f.projectId, f.agentKey);
    expect(read.map((d) => d.content)).toEqual(["- ships on Mondays"]);
    await deleteBrainDoc(as(f.operator), doc.id);
    expect(await readAgentBrainDocs(as(f.viewer), f.projectId, f.agentKey)).toEqual([]);
  });

  it("says the agent already has a doc of that type instead of a raw unique violation", async () => {
    const input = { projectId: f.projectId, agentKey: f.agentKey, docType: "playbook", title: "", content: "" };
    await createBrainDoc(as(f.operator), input);
    const err = await createBrainDoc(as(f.operator), input).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("invalid_input");
    expect(err.message).toBe(`@${f.agentKey} already has a "playbook" doc: open it in the list and edit it, or pick another doc type.`);
  });

  it("refuses a viewer's writes with what to do", async () => {
    const err = await createBrainDoc(as(f.viewer), {
      projectId: f.projectId,
      agentKey: f.agentKey,
      docType: "notes",
      title: "",
      content: "",
    }).catch((e) => e);
    expect(err.code).toBe("forbidden");
    const [doc] = await readAgentBrainDocs(as(f.viewer), f.projectId, f.agentKey);
    const denied = await deleteBrainDoc(as(f.viewer), doc?.id ?? "").catch((e) => e);
    expect(denied.code).toBe("not_found");
    expect(denied.message).toMatch(/your role may not remove docs/);
  });
});
