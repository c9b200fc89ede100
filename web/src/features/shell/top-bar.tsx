"use client";

import { useRouter } from "next/navigation";
import { ConnectionBadge } from "../connection/connection-badge.tsx";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { ProjectPicker } from "../projects/project-picker.tsx";
import styles from "./app-shell.module.css";

/** The top bar: project name (or picker), connection badge, who is signed in, sign-out. */
export function TopBar({ slug }: { slug: string }) {
  const { project, session, client, role } = useProject();
  const router = useRouter();
  const store = useLiveStoreApi();
  const signOut = async () => {
    await client.auth.signOut();
    store.getState().clearRows();
    router.replace("/sign-in");
  };
  return (
    <header className={styles.topBar}>
      <div className={styles.topLeft}>
        <ProjectPicker currentSlug={slug} currentName={project.name} className={styles.projectName} />
      </div>
      <div className={styles.topRight}>
        <ConnectionBadge />
        <span className={styles.user} title={role ? `Your role: ${role}` : undefined}>
          <span className={styles.userEmail}>{session.user.email}</span>
          {role ? <span className={styles.role}>{role}</span> : null}
        </span>
        <button type="button" className="button small" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
