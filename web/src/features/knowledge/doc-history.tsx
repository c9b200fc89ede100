"use client";

import type { TBrainDoc, TBrainDocVersion } from "@mission-control/shared/rows";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useRef, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useProject } from "../projects/project-context.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { useElementWidth } from "../ui/use-element-width.ts";
import { authorOf } from "./describe-docs.ts";
import { SPLIT_FROM_PX } from "./doc-editor.tsx";
import styles from "./knowledge.module.css";
import { readDocVersions } from "./read-brain-docs.ts";

// The diff viewer measures the DOM: render it in the browser only.
const DocDiff = dynamic(() => import("./doc-diff.tsx"), { ssr: false, loading: () => <p className="muted">Loading the diff…</p> });

/**
 * A doc's history: every version with its author and time, newest first; the chosen version is
 * shown as a diff against the one before it (version 1 against an empty doc). Read again whenever
 * the live doc's version moves, so a save anywhere appears here.
 */
export function DocHistory({ doc }: { doc: TBrainDoc }) {
  const { client, session, project } = useProject();
  const formatTime = useFormatTime();
  const agents = useProjectAgents(project.id);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const paneRef = useRef<HTMLElement>(null);
  const split = useElementWidth(paneRef) >= SPLIT_FROM_PX;
  const [versions, setVersions] = useState<TBrainDocVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    // The version number is what should trigger a re-read: a save anywhere moves it.
    void doc.version;
    readDocVersions(client, doc.id)
      .then((rows) => {
        if (!live) return;
        setVersions(rows);
        setError(null);
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [client, doc.id, doc.version]);

  const shown = versions?.find((v) => v.version === chosen) ?? versions?.[0] ?? null;
  const before = shown ? versions?.find((v) => v.version === shown.version - 1) : undefined;

  return (
    <section ref={paneRef} className={styles.history} aria-label="History">
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {versions === null && !error ? <p className="muted">Loading the history…</p> : null}
      {versions && versions.length > 0 ? (
        <>
          <ol className={styles.versions} aria-label="Versions">
            {versions.map((v) => (
              <li key={v.id}>
                <button
                  type="button"
                  className={styles.versionItem}
                  aria-current={shown?.id === v.id ? "true" : undefined}
                  onClick={() => setChosen(v.version)}
                  data-testid="doc-version"
                >
                  <span className={styles.versionNumber}>v{v.version}</span>
                  <span className={styles.versionAuthor}>{authorOf(v, session.user.id, agentNames)}</span>
                  <time dateTime={v.created_at} className={styles.versionTime}>
                    {formatTime(v.created_at, "dayTime")}
                  </time>
                </button>
              </li>
            ))}
          </ol>
          {shown ? (
            <div className={styles.versionDiff}>
              {before && before.title !== shown.title ? (
                <p className={styles.titleChange}>
                  Title: “{before.title}” → “{shown.title}”
                </p>
              ) : null}
              <DocDiff
                oldValue={before?.content ?? ""}
                newValue={shown.content}
                oldTitle={before ? `Version ${before.version}` : "Empty (before version 1)"}
                newTitle={`Version ${shown.version} — ${authorOf(shown, session.user.id, agentNames)}`}
                split={split}
              />
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
