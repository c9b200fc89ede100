"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { listProjectMembers } from "./list-project-members.ts";
import type { TMemberListing } from "./member-listing.ts";

/** The members list of the project on screen, or why it could not be read. */
export interface TProjectMembersState {
  members: TMemberListing[] | null;
  error: string | null;
  reload: () => void;
}

/**
 * The project's members with their emails. The live store holds the memberships (project_members,
 * realtime) but not the emails, which only `list_project_members` can read: the list is read
 * again whenever a membership of the project changes (a role, a join, a removal, here or elsewhere).
 */
export function useProjectMembers(): TProjectMembersState {
  const { project, client } = useProject();
  const memberships = useLiveStore((s) => s.rows.project_members);
  const version = useMemo(
    () =>
      Object.values(memberships)
        .filter((row) => row.project_id === project.id)
        .map((row) => `${row.user_id}:${row.role}:${row.seq}`)
        .sort()
        .join(","),
    [memberships, project.id],
  );
  const [state, setState] = useState<{ members: TMemberListing[] | null; error: string | null }>({ members: null, error: null });
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  // `version` and `reloads` are the triggers to read again.
  useEffect(() => {
    let active = true;
    listProjectMembers(client, project.id).then(
      (members) => active && setState({ members, error: null }),
      (err: unknown) => active && setState((prev) => ({ members: prev.members, error: err instanceof Error ? err.message : String(err) })),
    );
    return () => {
      active = false;
    };
  }, [client, project.id, version, reloads]);

  return { ...state, reload };
}
