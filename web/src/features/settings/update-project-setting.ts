import type { Json } from "@mission-control/shared/db";
import { AppError } from "@mission-control/shared/errors";
import { type TProjectSetting, ZProjectSetting } from "@mission-control/shared/rows";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import { explainSettingRefusal } from "./explain-setting-refusal.ts";

/**
 * Writes one project setting (upsert on project_id + key). RLS lets owners and operators do it;
 * anyone else gets an error that says so; a value a check constraint refuses (the database
 * validates some keys, e.g. `runs`) is `invalid_input` with the rule it broke.
 */
export async function updateProjectSetting(
  client: TBrowserClient,
  projectId: string,
  key: string,
  value: NonNullable<Json>,
): Promise<TProjectSetting> {
  const { data, error } = await client
    .from("project_settings")
    .upsert({ project_id: projectId, key, value }, { onConflict: "project_id,key" })
    .select()
    .single();
  if (error) {
    const refused = explainSettingRefusal(key, error);
    if (refused) throw new AppError("invalid_input", { message: refused, cause: error, details: { sqlstate: error.code } });
    const forbidden = error.code === "42501" || /row-level security/i.test(error.message);
    throw new AppError(forbidden ? "forbidden" : "database_unreachable", {
      message: forbidden
        ? "Only owners and operators can change settings: ask an owner for the operator role."
        : `Could not save the setting "${key}": ${error.message}.`,
      cause: error,
    });
  }
  return ZProjectSetting.parse(data);
}
