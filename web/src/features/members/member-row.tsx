"use client";

import { MEMBER_ROLES, type TMemberRole } from "@mission-control/shared/schemas";
import { useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useProject } from "../projects/project-context.tsx";
import { changeProjectMemberRole } from "./change-project-member-role.ts";
import type { TMemberListing } from "./member-listing.ts";
import styles from "./members.module.css";
import { removeProjectMember } from "./remove-project-member.ts";
import { withArticle } from "./role-descriptions.ts";

/** What a row reports to the page: a sentence for the status line, and that the list changed. */
export interface TMemberRowEvents {
  onDone: (text: string) => void;
  onError: (text: string) => void;
}

/**
 * One member: email, role, when they joined. Owners change the role with a select and remove
 * others after a confirmation; everyone else sees the role as text. The database refuses what
 * would leave the project without an owner and the row shows its words.
 */
export function MemberRow({
  member,
  isSelf,
  canManage,
  now,
  events,
}: {
  member: TMemberListing;
  isSelf: boolean;
  canManage: boolean;
  now: number;
  events: TMemberRowEvents;
}) {
  const { project, client } = useProject();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const who = { userId: member.user_id, email: member.email };

  const changeRole = async (role: TMemberRole) => {
    if (role === member.role) return;
    setBusy(true);
    try {
      await changeProjectMemberRole(client, project.id, who, role);
      events.onDone(`${member.email} is now ${withArticle(role)}.`);
    } catch (err) {
      events.onError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await removeProjectMember(client, project.id, { ...who, self: false });
      events.onDone(`${member.email} was removed from the project.`);
    } catch (err) {
      events.onError(err instanceof Error ? err.message : String(err));
      setBusy(false);
      setConfirming(false);
    }
  };

  const facts = [
    member.joined_at ? formatAge("joined", member.joined_at, now) : null,
    member.last_sign_in_at ? formatAge("last signed in", member.last_sign_in_at, now) : "never signed in",
  ].filter(Boolean);

  return (
    <li className={styles.row} data-testid="member-row" data-email={member.email}>
      <div className={styles.who}>
        <div className={styles.email}>
          {member.email}
          {isSelf ? <span className={styles.tag}>you</span> : null}
        </div>
        <div className={styles.meta}>{facts.join(" · ")}</div>
      </div>
      <div className={styles.controls}>
        {canManage ? (
          <label>
            <span className="visually-hidden">Role of {member.email}</span>
            <select
              value={member.role}
              disabled={busy}
              // The select shows the stored role; a refused change leaves it there.
              onChange={(e) => void changeRole(e.target.value as TMemberRole)}
            >
              {MEMBER_ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className={styles.role} data-testid="member-role">
            {member.role}
          </span>
        )}
        {canManage && !isSelf ? (
          confirming ? (
            <span className={styles.confirm}>
              Remove {member.email}?
              <button type="button" className={`button small ${styles.danger}`} disabled={busy} onClick={() => void remove()}>
                {busy ? "Removing…" : "Remove"}
              </button>
              <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button small" aria-label={`Remove ${member.email}`} onClick={() => setConfirming(true)}>
              Remove
            </button>
          )
        ) : null}
      </div>
    </li>
  );
}
