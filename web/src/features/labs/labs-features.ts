import type { TProjectSetting } from "@mission-control/shared/rows";
import { z } from "zod";
import type { TRowMap } from "../live/merge-rows.ts";

/** The labs flags of a project (project_settings key 'labs_features'); missing flags are off. */
export const ZLabsFeatures = z.object({ team_room: z.boolean().default(false), dms: z.boolean().default(false) });
/** Labs flags. */
export type TLabsFeatures = z.infer<typeof ZLabsFeatures>;

/** The Team Room settings (key 'team_room'). */
export const ZTeamRoomSettings = z.object({ agent_posts_per_hour: z.number().int().min(1).max(1000).default(20) });
/** Team Room settings. */
export type TTeamRoomSettings = z.infer<typeof ZTeamRoomSettings>;

/** Reads a setting of the project from the store, parsed; a missing or malformed value gives the defaults. */
export function readSetting<T>(settings: TRowMap<TProjectSetting>, projectId: string, key: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(settings[`${projectId}:${key}`]?.value ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}
