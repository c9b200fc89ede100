import { type TSkill, ZSkill } from "@mission-control/shared/rows";
import { skillKeyFromName, type TSkillInput } from "@mission-control/shared/schemas";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { databaseWriteError } from "../providers/database-write-error.ts";

/** Adds a skill of the operator's own to the project, straight through RLS (owners and operators). */
export async function saveSkill(client: TBrowserClient, input: { projectId: string; skill: TSkillInput }): Promise<TSkill> {
  const { skill } = input;
  const key = skill.key ?? skillKeyFromName(skill.name);
  const { data, error } = await client
    .from("skills")
    .insert({ ...skill, key, project_id: input.projectId })
    .select()
    .maybeSingle();
  if (error) {
    throw databaseWriteError(error, {
      what: "skills",
      conflict: `A skill with the key "${key}" already exists in this project: give the skill another name.`,
    });
  }
  if (!data) throw databaseWriteError({ code: "42501", message: "no row was written" }, { what: "skills" });
  return ZSkill.parse(data);
}

/** What an operator edits of a skill they added (its key, and where it comes from, stay). */
export type TSkillEdit = Omit<TSkillInput, "key">;

/**
 * Saves an edit of a skill an operator added, straight through RLS: built-in skills are read-only
 * (the policy matches no built-in row, so nothing is written and this says why). The executor checks
 * the edited skill again when the update reaches it.
 */
export async function updateSkill(client: TBrowserClient, input: { projectId: string; id: string; edit: TSkillEdit }): Promise<TSkill> {
  const { data, error } = await client
    .from("skills")
    .update(input.edit)
    .eq("id", input.id)
    .eq("project_id", input.projectId)
    .select()
    .maybeSingle();
  if (error) throw databaseWriteError(error, { what: "skills" });
  if (!data) {
    throw databaseWriteError(
      { code: "42501", message: "no row was changed" },
      { what: "skills", forbidden: "Only owners and operators can edit skills, and built-in skills are read-only." },
    );
  }
  return ZSkill.parse(data);
}

/** Removes a skill an operator added (built-in skills cannot be removed: RLS refuses). */
export async function deleteSkill(client: TBrowserClient, input: { projectId: string; id: string }): Promise<void> {
  const { data, error } = await client.from("skills").delete().eq("id", input.id).eq("project_id", input.projectId).select("id");
  if (error) throw databaseWriteError(error, { what: "skills" });
  if (!data || data.length === 0) {
    throw databaseWriteError(
      { code: "42501", message: "no row was removed" },
      { what: "skills", forbidden: "Only owners and operators can remove skills, and built-in skills cannot be removed." },
    );
  }
}
