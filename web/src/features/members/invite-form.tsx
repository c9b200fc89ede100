"use client";

import { MEMBER_ROLES } from "@mission-control/shared/schemas";
import { type FormEvent, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import { FormField as Field } from "../providers/form-field.tsx";
import providerStyles from "../providers/providers.module.css";
import { parseInviteDraft, type TInviteDraft, type TInviteIssues } from "./invite-draft.ts";
import { inviteProjectMember } from "./invite-project-member.ts";
import styles from "./members.module.css";
import type { TProjectInvite } from "./project-invite-row.ts";
import { ROLE_DESCRIPTIONS } from "./role-descriptions.ts";

/**
 * The owner's invite form: an email address and a role. Problems show beside the field before
 * anything is sent; a refusal of the database (already a member, not an owner) shows below in its
 * words. A sent invitation appears in the list below, queued until the executor mails it.
 */
export function InviteForm({ memberEmails, onInvited }: { memberEmails: readonly string[]; onInvited: (row: TProjectInvite) => void }) {
  const { project, client } = useProject();
  const [draft, setDraft] = useState<TInviteDraft>({ email: "", role: "operator" });
  const [issues, setIssues] = useState<TInviteIssues>({});
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (field: keyof TInviteDraft, value: string) => {
    setDraft((prev) => ({ ...prev, [field]: value }));
    setIssues(({ [field]: _, ...others }) => others);
    setStatus(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseInviteDraft(draft, memberEmails);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      setStatus({ tone: "error", text: "Nothing was sent: correct the fields marked in red." });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const row = await inviteProjectMember(client, project.id, parsed.value);
      onInvited(row);
      setDraft((prev) => ({ ...prev, email: "" }));
      setStatus({ tone: "ok", text: `Invitation to ${row.email} as ${row.role} queued: it shows "sent" once the mail is out.` });
    } catch (err) {
      setStatus({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.inviteForm} onSubmit={submit} aria-label="Invite a member" noValidate>
      <Field label="Email" issue={issues.email}>
        {(control) => (
          <input
            type="email"
            autoComplete="off"
            spellCheck={false}
            placeholder="name@example.com"
            value={draft.email}
            {...control}
            onChange={(e) => set("email", e.target.value)}
          />
        )}
      </Field>
      <Field label="Role" issue={issues.role} hint={ROLE_DESCRIPTIONS[draft.role as keyof typeof ROLE_DESCRIPTIONS]}>
        {(control) => (
          <select value={draft.role} {...control} onChange={(e) => set("role", e.target.value)}>
            {MEMBER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className={styles.actions}>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Inviting…" : "Send invitation"}
        </button>
      </div>
      <div aria-live="polite" className={styles.actions}>
        {status ? (
          <p
            className={`${styles.message} ${status.tone === "ok" ? providerStyles.ok : providerStyles.error}`}
            role={status.tone === "error" ? "alert" : undefined}
            data-testid="invite-status"
            style={{ margin: 0 }}
          >
            {status.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
