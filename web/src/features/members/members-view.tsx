"use client";

import { useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import settingsStyles from "../settings/settings-view.module.css";
import { useNow } from "../ui/use-now.ts";
import { InviteForm } from "./invite-form.tsx";
import { InviteRow } from "./invite-row.tsx";
import { LeaveProject } from "./leave-project.tsx";
import { canManageMembers, countOwners, leaveRefusal } from "./member-permissions.ts";
import { MemberRow } from "./member-row.tsx";
import styles from "./members.module.css";
import { ROLE_DESCRIPTIONS } from "./role-descriptions.ts";
import { StatusLine, type TStatus } from "./status-line.tsx";
import { useProjectInvites } from "./use-project-invites.ts";
import { useProjectMembers } from "./use-project-members.ts";

/**
 * Settings → Members: who is in the project with which role. Owners invite by email, follow each
 * invitation live (queued → sent → accepted, or failed with the reason and Retry), revoke, change
 * roles and remove; operators and viewers read the list. Everyone can leave, except the last owner.
 */
export function MembersView() {
  const { role, session } = useProject();
  const now = useNow();
  const canManage = canManageMembers(role);
  const { members, error: loadError, reload } = useProjectMembers();
  const { invites, applyInvite } = useProjectInvites();
  const [status, setStatus] = useState<TStatus>(null);
  const [inviteStatus, setInviteStatus] = useState<TStatus>(null);
  const owners = countOwners(members ?? []);
  const events = {
    onDone: (text: string) => {
      setStatus({ tone: "ok", text });
      reload();
    },
    onError: (text: string) => setStatus({ tone: "error", text }),
  };

  return (
    <>
      <section className={`${settingsStyles.group} ${settingsStyles.wideGroup}`} aria-labelledby="members-title">
        <h2 className={settingsStyles.groupTitle} id="members-title">
          Members{members ? ` (${members.length})` : ""}
        </h2>
        <p className="muted">
          An owner {ROLE_DESCRIPTIONS.owner}; an operator {ROLE_DESCRIPTIONS.operator}; a viewer {ROLE_DESCRIPTIONS.viewer}.
          {canManage ? "" : " Only owners change members."}
        </p>
        {loadError ? (
          <p role="alert" className={`${styles.message} ${styles.error}`}>
            {loadError}
          </p>
        ) : null}
        {members ? (
          <ul className={styles.list} aria-label="Members">
            {members.map((member) => (
              <MemberRow
                key={member.user_id}
                member={member}
                isSelf={member.user_id === session.user.id}
                canManage={canManage}
                now={now}
                events={events}
              />
            ))}
          </ul>
        ) : loadError ? null : (
          <p className="muted">Loading members…</p>
        )}
        <StatusLine status={status} testId="members-status" />
      </section>
      {canManage ? (
        <section className={`${settingsStyles.group} ${settingsStyles.wideGroup}`} aria-labelledby="invite-title">
          <h2 className={settingsStyles.groupTitle} id="invite-title">
            Invite someone
          </h2>
          <p className="muted">
            They get a mail with a link. A new address chooses a password first; then they join with the role you picked.
          </p>
          <InviteForm memberEmails={(members ?? []).map((member) => member.email)} onInvited={applyInvite} />
          <h3 className={settingsStyles.subTitle}>Invitations</h3>
          {invites.length > 0 ? (
            <ul className={styles.list} aria-label="Invitations">
              {invites.map((invite) => (
                <InviteRow
                  key={invite.id}
                  invite={invite}
                  now={now}
                  onChanged={(row, text) => {
                    applyInvite(row);
                    setInviteStatus({ tone: "ok", text });
                  }}
                  onError={(text) => setInviteStatus({ tone: "error", text })}
                />
              ))}
            </ul>
          ) : (
            <p className="muted">No invitations yet.</p>
          )}
          <StatusLine status={inviteStatus} testId="invitations-status" />
        </section>
      ) : null}
      <section className={`${settingsStyles.group} ${settingsStyles.wideGroup}`} aria-labelledby="leave-title">
        <h2 className={settingsStyles.groupTitle} id="leave-title">
          Leave project
        </h2>
        <LeaveProject refusal={members ? leaveRefusal(role, owners) : "Loading members…"} />
      </section>
    </>
  );
}
