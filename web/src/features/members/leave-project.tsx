"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./members.module.css";
import { removeProjectMember } from "./remove-project-member.ts";

/**
 * "Leave project", for every member: after a confirmation the membership goes and the start page
 * takes over. The last owner sees the button disabled with the reason (the database refuses it too).
 */
export function LeaveProject({ refusal }: { refusal: string | null }) {
  const { project, client, session } = useProject();
  const store = useLiveStoreApi();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await removeProjectMember(client, project.id, { userId: session.user.id, email: session.user.email ?? "you", self: true });
      // The project is no longer readable: forget it here, so nothing shows it until the next read.
      store.getState().removeRows("projects", [project.id]);
      router.replace("/");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className={styles.leave}>
      <p className="muted" id="leave-reason">
        {refusal ?? `You lose access to ${project.name} at once; an owner can invite you again.`}
      </p>
      {confirming ? (
        <span className={styles.confirm}>
          Leave {project.name}?
          <button type="button" className={`button small ${styles.danger}`} disabled={busy} onClick={() => void leave()}>
            {busy ? "Leaving…" : "Leave"}
          </button>
          <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button"
          disabled={refusal !== null}
          aria-describedby="leave-reason"
          onClick={() => setConfirming(true)}
        >
          Leave project
        </button>
      )}
      {error ? (
        <p role="alert" className={`${styles.message} ${styles.error}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
