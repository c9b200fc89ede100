"use client";

import { type TSkill, ZSkillMirror } from "@mission-control/shared/rows";
import type { TSkillInput } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { recheckConnection } from "../connection/connection-monitor.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { runWrite } from "../providers/run-write.ts";
import { checkSkill } from "./check-skill.ts";
import { deleteSkill, saveSkill, type TSkillEdit, updateSkill } from "./save-skill.ts";

/** What the Skills page can do. */
export interface TSkillActions {
  /** Asks the executor to check the skill now; the verdict lands in the store. */
  check(skillId: string): Promise<void>;
  add(skill: TSkillInput): Promise<TSkill>;
  /** Edits a skill an operator added (built-in skills are read-only); the executor checks it again. */
  edit(skillId: string, edit: TSkillEdit): Promise<TSkill>;
  remove(skillId: string): Promise<void>;
}

/**
 * Skill actions of the current project. Adding, editing and removing a skill write through RLS with
 * executeWithFallback (runWrite: it works in Backup too; the executor checks the new skill at its
 * next round); "Check again" calls the Control API with the operator's access token, since only the
 * executor can look at its machine, then re-reads the verdict so the page shows it before realtime does.
 */
export function useSkillActions(): TSkillActions {
  const { project, client, session } = useProject();
  const { controlApiUrl } = useClientConfig();
  const accessToken = session.access_token;
  const store = useLiveStoreApi();
  return useMemo(() => {
    const deps = createFallbackDeps(store);
    const refreshVerdict = async (skillId: string) => {
      const { data } = await client.from("skills_mirror").select("*").eq("skill_id", skillId).maybeSingle();
      const row = data ? ZSkillMirror.safeParse(data) : null;
      if (row?.success) store.getState().applyRows("skills_mirror", [row.data]);
    };
    return {
      async check(skillId) {
        await checkSkill({ controlApiUrl, accessToken, skillId }).catch((err: unknown) => {
          recheckConnection();
          throw err;
        });
        await refreshVerdict(skillId);
      },
      async add(skill) {
        const saved = await runWrite(() => saveSkill(client, { projectId: project.id, skill }), deps);
        store.getState().applyRows("skills", [saved]);
        return saved;
      },
      async edit(skillId, edit) {
        const saved = await runWrite(() => updateSkill(client, { projectId: project.id, id: skillId, edit }), deps);
        store.getState().applyRows("skills", [saved]);
        return saved;
      },
      async remove(skillId) {
        await runWrite(() => deleteSkill(client, { projectId: project.id, id: skillId }), deps);
        store.getState().removeRows("skills", [skillId]);
        store.getState().removeRows("skills_mirror", [skillId]);
      },
    };
  }, [client, project.id, controlApiUrl, accessToken, store]);
}
