"use client";

import { useMemo } from "react";
import { useLiveStore } from "../live/use-live-store.ts";
import { useProject } from "../projects/project-context.tsx";
import shell from "../shell/app-shell.module.css";
import { LIST_ITEM, onListKeyDown } from "../shell/use-list-keys.ts";
import styles from "./activity-feed.module.css";

/** The project feed, newest first, live. */
export function ActivityFeed() {
  const { project } = useProject();
  const rows = useLiveStore((s) => s.rows.activities);
  const items = useMemo(
    () =>
      Object.values(rows)
        .filter((a) => a.project_id === project.id)
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.seq - a.seq),
    [rows, project.id],
  );
  return (
    <section className={shell.page}>
      <h1 className={shell.pageTitle}>Activity</h1>
      {items.length === 0 ? (
        <p className="muted">Nothing has happened yet. Agent replies and failed deliveries show up here as they happen.</p>
      ) : null}
      <ol className={styles.feed} onKeyDown={onListKeyDown} aria-label="Project activity">
        {items.map((a, i) => (
          <li key={a.id} {...LIST_ITEM} tabIndex={i === 0 ? 0 : -1} className={styles.item} data-kind={a.kind}>
            <time className={styles.time} dateTime={a.created_at}>
              {new Date(a.created_at).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })}
            </time>
            <span className={styles.actor} data-actor-type={a.actor_type}>
              {a.actor}
            </span>
            <span className={styles.summary}>{a.summary}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
