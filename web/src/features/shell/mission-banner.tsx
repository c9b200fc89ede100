"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./app-shell.module.css";

/**
 * The project mission (brain_docs, doc_type 'mission', no agent), live, rendered from its markdown
 * (safely, see Markdown) as running text cut after two lines; operators get an Edit link to it on
 * the Knowledge page, where the whole doc is.
 */
export function MissionBanner({ projectId }: { projectId: string }) {
  const { project, canWrite } = useProject();
  const docs = useLiveStore((s) => s.rows.brain_docs);
  const mission = useMemo(
    () => Object.values(docs).find((d) => d.project_id === projectId && d.doc_type === "mission" && d.agent_key === null),
    [docs, projectId],
  );
  if (!mission?.content) return null;
  return (
    <section className={styles.mission} aria-label="Mission">
      <span className={styles.missionLabel}>Mission</span>
      <div className={styles.missionText} data-testid="mission-text">
        <Markdown source={mission.content} />
      </div>
      {canWrite ? (
        <Link className={styles.missionEdit} href={`/p/${project.slug}/knowledge?doc=mission`} aria-label="Edit the mission">
          Edit
        </Link>
      ) : null}
    </section>
  );
}
