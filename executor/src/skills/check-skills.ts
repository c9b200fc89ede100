import type { TCheckSkillAnswer } from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import { type TProviderConnectionKind, ZSkillRequirement } from "@mission-control/shared/schemas";
import type { Logger } from "pino";
import { z } from "zod";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import type { TRequirementContext } from "./check-requirement.ts";
import { evaluateSkill, type TSkillVerdict } from "./evaluate-skill.ts";

/** What checking skills needs: the database, this executor's machine and configuration. */
export type TSkillCheckDeps = {
  db: TDb;
  executorId: string;
  workspaceDir: string;
  /** RUN_TEST_ALLOWLIST. */
  testAllowlist: readonly string[];
  /** Provider kinds the executor's environment has a key for. */
  globalProviders: ReadonlySet<string>;
  /** The environment programs and agents get (read at every check, so a variable that disappears shows). */
  readEnv: () => NodeJS.ProcessEnv;
  log: Logger;
};

/** Which skills to check: those of some projects (null: every project), or one skill. */
export type TSkillScope = { projectIds: readonly string[] | null } | { skillId: string };

const PAGE = 1_000;
const ID_CHUNK = 100;
const ZRequirements = z.array(ZSkillRequirement);

type TSkillRow = { id: string; project_id: string; requirements: unknown };

/**
 * Checks every requirement of the skills in `scope` against this executor and the project's rows
 * (settings, provider connections), and upserts each verdict into skills_mirror (checked_at now,
 * checked_by this executor). Returns the verdicts as written. A skill whose requirements do not
 * parse is blocked, saying so.
 */
export async function checkSkills(deps: TSkillCheckDeps, scope: TSkillScope): Promise<TCheckSkillAnswer[]> {
  const skills = await readSkills(deps.db, scope);
  if (skills.length === 0) return [];
  const projectIds = [...new Set(skills.map((skill) => skill.project_id))];
  const contexts = await readContexts(deps, projectIds);
  const projectOf = new Map(skills.map((skill) => [skill.id, skill.project_id]));
  const checkedAt = new Date().toISOString();
  const answers: TCheckSkillAnswer[] = [];
  for (const skill of skills) {
    const context = contexts.get(skill.project_id);
    if (!context) continue;
    const requirements = ZRequirements.safeParse(skill.requirements);
    const verdict: TSkillVerdict = requirements.success
      ? await evaluateSkill(requirements.data, context)
      : {
          status: "blocked",
          results: [],
          reasons: ["The skill's requirements are malformed: edit the skill and save its requirements again"],
        };
    answers.push({ skill_id: skill.id, ...verdict, checked_at: checkedAt, checked_by: deps.executorId });
  }
  for (let start = 0; start < answers.length; start += PAGE) {
    const rows = answers.slice(start, start + PAGE).map((answer) => ({
      ...answer,
      project_id: projectOf.get(answer.skill_id) ?? "",
    }));
    const { error } = await deps.db.from("skills_mirror").upsert(rows, { onConflict: "skill_id" });
    // A skill removed while it was being checked: its verdict has nowhere to go (23503), the rest does.
    if (error && error.code !== "23503") throw readDbError(error, "Could not save the skill checks", "database_unreachable");
    if (error) {
      for (const row of rows) {
        const single = await deps.db.from("skills_mirror").upsert(row, { onConflict: "skill_id" });
        if (single.error && single.error.code !== "23503")
          throw readDbError(single.error, "Could not save a skill check", "database_unreachable");
      }
    }
  }
  deps.log.debug({ skills: answers.length, projects: projectIds.length }, "skills checked");
  return answers;
}

async function readSkills(db: TDb, scope: TSkillScope): Promise<TSkillRow[]> {
  if ("skillId" in scope) {
    const { data, error } = await db.from("skills").select("id, project_id, requirements").eq("id", scope.skillId).maybeSingle();
    if (error) throw readDbError(error, "Could not read the skill", "database_unreachable");
    return data ? [data] : [];
  }
  const rows: TSkillRow[] = [];
  for (let from = 0; ; from += PAGE) {
    let query = db
      .from("skills")
      .select("id, project_id, requirements")
      .order("id")
      .range(from, from + PAGE - 1);
    if (scope.projectIds) query = query.in("project_id", [...scope.projectIds]);
    const { data, error } = await query;
    if (error) throw readDbError(error, "Could not read the skills", "database_unreachable");
    rows.push(...data);
    if (data.length < PAGE) return rows;
  }
}

/** Each project's settings and usable connections, read in chunks of project ids. */
async function readContexts(deps: TSkillCheckDeps, projectIds: readonly string[]): Promise<Map<string, TRequirementContext>> {
  const settingsOf = new Map(projectIds.map((id) => [id, new Map<string, unknown>()]));
  const connectionsOf = new Map(projectIds.map((id) => [id, new Set<TProviderConnectionKind>()]));
  for (let start = 0; start < projectIds.length; start += ID_CHUNK) {
    const ids = projectIds.slice(start, start + ID_CHUNK);
    const [settings, connections] = await Promise.all([
      deps.db.from("project_settings").select("project_id, key, value").in("project_id", ids),
      deps.db.from("provider_connections").select("project_id, kind, keyless, key_last4").in("project_id", ids),
    ]);
    if (settings.error) throw readDbError(settings.error, "Could not read the project settings", "database_unreachable");
    if (connections.error) throw readDbError(connections.error, "Could not read the provider connections", "database_unreachable");
    for (const row of settings.data) settingsOf.get(row.project_id)?.set(row.key, row.value);
    for (const row of connections.data) {
      if (row.keyless || row.key_last4) connectionsOf.get(row.project_id)?.add(row.kind as TProviderConnectionKind);
    }
  }
  const env = deps.readEnv();
  return new Map(
    projectIds.map((id) => [
      id,
      {
        env,
        workspaceDir: deps.workspaceDir,
        testAllowlist: deps.testAllowlist,
        settings: settingsOf.get(id) ?? new Map(),
        usableConnections: connectionsOf.get(id) ?? new Set(),
        globalProviders: deps.globalProviders,
      },
    ]),
  );
}

/** The verdict on one skill, checked now (the Control API's POST /api/skills/:skillId/check). */
export async function checkOneSkill(deps: TSkillCheckDeps, skillId: string): Promise<TCheckSkillAnswer> {
  const [answer] = await checkSkills(deps, { skillId });
  if (!answer)
    throw new AppError("not_found", { message: `Skill ${skillId} was not found in any of your projects: reload the Skills page` });
  return answer;
}
