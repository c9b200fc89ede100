"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./app-shell.module.css";

type TMarkdown = typeof import("../markdown/markdown.tsx").Markdown;
/** The markdown renderer once loaded (one load per page). */
let loadedMarkdown: TMarkdown | null = null;

/**
 * The mission's text: the markdown renderer (react-markdown, micromark, GFM: the shell's largest
 * library) loads after the page's first paint rather than with every page; until then the text
 * shows as written, in the same place.
 */
function MissionText({ source }: { source: string }) {
  const [Markdown, setMarkdown] = useState<TMarkdown | null>(() => loadedMarkdown);
  useEffect(() => {
    if (Markdown) return;
    let live = true;
    void import("../markdown/markdown.tsx").then((module) => {
      loadedMarkdown = module.Markdown;
      if (live) setMarkdown(() => module.Markdown);
    });
    return () => {
      live = false;
    };
  }, [Markdown]);
  return Markdown ? <Markdown source={source} /> : <span>{source}</span>;
}

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
        <MissionText source={mission.content} />
      </div>
      {canWrite ? (
        <Link className={styles.missionEdit} href={`/p/${project.slug}/knowledge?doc=mission`} aria-label="Edit the mission">
          Edit
        </Link>
      ) : null}
    </section>
  );
}
