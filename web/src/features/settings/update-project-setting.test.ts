import { AppError } from "@mission-control/shared/errors";
import { createProjectFixture, dropProjectFixture, type TMember, type TProjectFixture } from "@mission-control/supabase/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { updateProjectSetting } from "./update-project-setting.ts";

let f: TProjectFixture;
beforeAll(async () => {
  f = await createProjectFixture("web-run-settings");
});
afterAll(async () => {
  await dropProjectFixture(f);
});

const as = (member: TMember) => member.client as unknown as TBrowserClient;

async function storedRuns(member: TMember): Promise<unknown> {
  const { data } = await member.client.from("project_settings").select("value").eq("project_id", f.projectId).eq("key", "runs");
  return data?.[0]?.value ?? null;
}

describe("updateProjectSetting for the run settings (against the local stack)", () => {
  it("lets an operator save the run settings and a viewer read them", async () => {
    const row = await updateProjectSetting(as(f.operator), f.projectId, "runs", { test_command: "npm test", max_steps: 20 });
    expect(row).toMatchObject({ key: "runs", value: { test_command: "npm test", max_steps: 20 } });
    expect(await storedRuns(f.viewer)).toEqual({ test_command: "npm test", max_steps: 20 });
  });

  it("turns the database's refusal of a bad value into invalid_input with the rule and what to do", async () => {
    const err = await updateProjectSetting(as(f.operator), f.projectId, "runs", { max_steps: 80 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "invalid_input", details: { sqlstate: "23514" } });
    expect((err as AppError).message).toBe(
      'The database refused the "runs" setting: run settings hold only a test command (text, at most 500 characters), a test timeout (5 to 3600 seconds), max iterations (1 to 10) and max steps (1 to 50), each a whole number. Correct the value and save again.',
    );
    const unknownKey = await updateProjectSetting(as(f.owner), f.projectId, "runs", { test_command: "npm test", shell: true }).catch(
      (e: unknown) => e,
    );
    expect(unknownKey).toMatchObject({ code: "invalid_input" });
    expect(await storedRuns(f.operator)).toEqual({ test_command: "npm test", max_steps: 20 });
  });

  it("refuses a viewer with what to do", async () => {
    const err = await updateProjectSetting(as(f.viewer), f.projectId, "runs", { max_steps: 5 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "forbidden",
      message: "Only owners and operators can change settings: ask an owner for the operator role.",
    });
    expect(await storedRuns(f.viewer)).toEqual({ test_command: "npm test", max_steps: 20 });
  });
});
