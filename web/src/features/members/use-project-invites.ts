"use client";

import { useCallback, useMemo } from "react";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { OPEN_INVITE_STATUSES } from "./open-invite-statuses.ts";
import type { TProjectInvite } from "./project-invite-row.ts";

/** Closed invitations (accepted, revoked) listed below the open ones: enough to see who just joined. */
const CLOSED_INVITES_SHOWN = 10;

/**
 * The project's invitations from the live store (realtime: queued → sent → accepted as the
 * executor and the invitee move them; only owners can read them): the open ones, then the latest
 * closed ones, newest first. `applyInvite` merges a row an RPC answered, before its event arrives.
 */
export function useProjectInvites(): { invites: TProjectInvite[]; applyInvite: (row: TProjectInvite) => void } {
  const { project } = useProject();
  const store = useLiveStoreApi();
  const rows = useLiveStore((s) => s.rows.project_invites);
  const invites = useMemo(() => {
    const mine = Object.values(rows)
      .filter((invite) => invite.project_id === project.id)
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    const isOpen = (invite: TProjectInvite) => (OPEN_INVITE_STATUSES as readonly string[]).includes(invite.status);
    return [...mine.filter(isOpen), ...mine.filter((invite) => !isOpen(invite)).slice(0, CLOSED_INVITES_SHOWN)];
  }, [rows, project.id]);
  const applyInvite = useCallback((row: TProjectInvite) => store.getState().applyRows("project_invites", [row]), [store]);
  return { invites, applyInvite };
}
