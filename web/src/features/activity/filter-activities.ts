import type { TActivity } from "@mission-control/shared/rows";

/** The Activity page's filters: one actor (agent key, "people" or "system") and one type (kind prefix or kind). */
export interface TActivityFilter {
  actor: string;
  type: string;
}

/** The feed's type groups: the part of the kind before the dot ("approval", "task", "chat"). */
export function activityType(kind: string): string {
  return kind.split(".")[0] ?? kind;
}

/**
 * The project's feed, newest first, narrowed by the filters: actor "" is everyone, "people" is
 * every signed-in user, an agent key is that agent (as actor, or as the proposing agent of an
 * approval outcome); type "" is everything, else the kind's group.
 */
export function filterActivities(rows: readonly TActivity[], projectId: string, filter: TActivityFilter): TActivity[] {
  return rows
    .filter((a) => a.project_id === projectId)
    .filter((a) => {
      if (!filter.actor) return true;
      if (filter.actor === "people") return a.actor_type === "user";
      if (filter.actor === "system") return a.actor_type === "system";
      return a.actor_type === "agent" && a.actor === filter.actor;
    })
    .filter((a) => !filter.type || activityType(a.kind) === filter.type)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.seq - a.seq);
}
