"use client";

import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import styles from "./app-shell.module.css";

/** The project mission (brain_docs, doc_type 'mission', no agent), live. */
export function MissionBanner({ projectId }: { projectId: string }) {
  const docs = useLiveStore((s) => s.rows.brain_docs);
  const mission = useMemo(
    () => Object.values(docs).find((d) => d.project_id === projectId && d.doc_type === "mission" && d.agent_key === null),
    [docs, projectId],
  );
  if (!mission?.content) return null;
  return (
    <section className={styles.mission} aria-label="Mission">
      <span className={styles.missionLabel}>Mission</span>
      <span className={styles.missionText}>{mission.content}</span>
    </section>
  );
}
