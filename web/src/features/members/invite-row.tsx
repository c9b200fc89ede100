"use client";

import { useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useProject } from "../projects/project-context.tsx";
import { describeInviteStatus } from "./describe-invite-status.ts";
import { inviteProjectMember } from "./invite-project-member.ts";
import styles from "./members.module.css";
import type { TProjectInvite } from "./project-invite-row.ts";
import { revokeProjectInvite } from "./revoke-project-invite.ts";

/**
 * One invitation: address, role, status (live: queued → sent → accepted), and what happens next.
 * A failed one shows the mailer's error and Retry (inviting the address again queues a new mail);
 * a pending one can be revoked.
 */
export function InviteRow({
  invite,
  now,
  onChanged,
  onError,
}: {
  invite: TProjectInvite;
  now: number;
  onChanged: (row: TProjectInvite, text: string) => void;
  onError: (text: string) => void;
}) {
  const { project, client } = useProject();
  const [busy, setBusy] = useState(false);
  const view = describeInviteStatus(invite.status, invite.error);

  const run = async (write: () => Promise<TProjectInvite>, text: string) => {
    setBusy(true);
    try {
      onChanged(await write(), text);
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const when =
    invite.status === "accepted" && invite.accepted_at
      ? formatAge("accepted", invite.accepted_at, now)
      : invite.sent_at
        ? formatAge("sent", invite.sent_at, now)
        : formatAge("invited", invite.created_at, now);

  return (
    <li className={styles.row} data-testid="invite-row" data-email={invite.email}>
      <div className={styles.who}>
        <div className={styles.email}>{invite.email}</div>
        <div className={styles.meta}>
          as {invite.role} · {when}
        </div>
      </div>
      <div className={styles.controls}>
        <span className={`${styles.status} ${styles[`tone-${view.tone}`]}`} data-testid="invite-status-badge">
          {view.label}
        </span>
        {invite.status === "failed" ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() =>
              void run(
                () => inviteProjectMember(client, project.id, { email: invite.email, role: invite.role }),
                `Invitation to ${invite.email} queued again.`,
              )
            }
          >
            Retry
          </button>
        ) : null}
        {view.pending ? (
          <button
            type="button"
            className="button small"
            aria-label={`Revoke the invitation of ${invite.email}`}
            disabled={busy}
            onClick={() => void run(() => revokeProjectInvite(client, invite), `Invitation of ${invite.email} revoked.`)}
          >
            Revoke
          </button>
        ) : null}
      </div>
      <p className={invite.status === "failed" ? `${styles.next} ${styles.failed}` : styles.next}>{view.next}</p>
    </li>
  );
}
