import { AppError } from "@mission-control/shared/errors";
import { describe, expect, it } from "vitest";
import { checkSkill } from "./check-skill.ts";

const SKILL = "11111111-1111-4111-8111-111111111111";

describe("checkSkill", () => {
  it("returns the executor's verdict", async () => {
    const answer = { skill_id: SKILL, status: "ready", results: [], reasons: [], checked_at: "2026-12-01T00:00:00Z", checked_by: "ex-1" };
    const fake: typeof fetch = async (url, init) => {
      expect(String(url)).toBe(`http://executor.test/api/skills/${SKILL}/check`);
      expect(init?.method).toBe("POST");
      expect((init?.headers as Record<string, string> | undefined)?.authorization).toBe("Bearer token");
      return new Response(JSON.stringify(answer), { status: 200 });
    };
    await expect(checkSkill({ controlApiUrl: "http://executor.test", accessToken: "token", skillId: SKILL, fetch: fake })).resolves.toEqual(
      answer,
    );
  });

  it("says the check needs the executor when it does not answer", async () => {
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const failure = checkSkill({ controlApiUrl: "http://executor.test", accessToken: "token", skillId: SKILL, fetch: down });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({
      code: "control_api_unreachable",
      message: /Requires executor connection: try again when the badge says Live/,
    });
  });

  it("keeps the executor's own refusal", async () => {
    const refuse: typeof fetch = async () =>
      new Response(
        JSON.stringify({ error: { code: "not_found", message: "Skill x was not found in any of your projects: reload the Skills page" } }),
        {
          status: 404,
        },
      );
    await expect(
      checkSkill({ controlApiUrl: "http://executor.test", accessToken: "token", skillId: SKILL, fetch: refuse }),
    ).rejects.toMatchObject({
      code: "not_found",
      message: "Could not check the skill: Skill x was not found in any of your projects: reload the Skills page",
    });
  });
});
