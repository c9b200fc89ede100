"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useOlderRows } from "../live/use-older-rows.ts";
import { useProject } from "../projects/project-context.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import shell from "../ui/page.module.css";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { VirtualOlderFooter } from "../ui/virtual-older-footer.tsx";
import { usePageVirtualizer } from "../ui/virtual-page-list.ts";
import styles from "./activity-feed.module.css";
import { activityLinks, describeActor } from "./describe-activity.ts";
import { activityType, filterActivities, type TActivityFilter } from "./filter-activities.ts";

/** Rows per older page read from the database as the reader scrolls down. */
const PAGE_SIZE = 200;
/** A one-line entry on a wide screen; rows are measured once rendered. */
const ROW_ESTIMATE_PX = 33;

/**
 * The project feed, newest first, live, filterable by agent and by type. Only the entries on screen
 * are rendered; the live store holds the newest ones (catch-up's window and realtime) and older
 * pages are read from the database as the reader nears the end. Filters apply to what is loaded.
 */
export function ActivityFeed() {
  const { project, session } = useProject();
  const formatTime = useFormatTime();
  const rows = useLiveStore((s) => s.rows.activities);
  const threads = useLiveStore((s) => s.rows.project_chat_threads);
  const tasks = useLiveStore((s) => s.rows.tasks);
  const agents = useProjectAgents(project.id);
  const [filter, setFilter] = useState<TActivityFilter>({ actor: "", type: "" });
  const all = useMemo(() => Object.values(rows).filter((a) => a.project_id === project.id), [rows, project.id]);
  const types = useMemo(() => [...new Set(all.map((a) => activityType(a.kind)))].sort(), [all]);
  const items = useMemo(() => filterActivities(all, project.id, filter), [all, project.id, filter]);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const scope = useMemo(() => ({ project_id: project.id }), [project.id]);
  const older = useOlderRows("activities", scope, PAGE_SIZE);
  const { listRef, virtualizer, scroller, startOf, onFocusCapture } = usePageVirtualizer<HTMLOListElement>({
    count: items.length,
    estimateSize: ROW_ESTIMATE_PX,
    getItemKey: (index) => items[index]?.id ?? String(index),
  });
  const rendered = virtualizer.getVirtualItems();
  return (
    <section className={shell.page}>
      <h1 className={shell.pageTitle}>Activity</h1>
      <div className={styles.filters}>
        <select aria-label="Filter by agent" value={filter.actor} onChange={(e) => setFilter((f) => ({ ...f, actor: e.target.value }))}>
          <option value="">Everyone</option>
          {agents.map(({ agent }) => (
            <option key={agent.id} value={agent.agent_key}>
              {agent.display_name}
            </option>
          ))}
          <option value="people">People</option>
          <option value="system">System</option>
        </select>
        <select aria-label="Filter by type" value={filter.type} onChange={(e) => setFilter((f) => ({ ...f, type: e.target.value }))}>
          <option value="">Every type</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <span className="muted">
          {items.length} of {all.length}
        </span>
      </div>
      {all.length === 0 ? (
        <p className="muted">Nothing has happened yet. Agent replies, task moves and approvals show up here as they happen.</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing matches these filters.</p>
      ) : null}
      <ol
        ref={listRef}
        className={styles.feed}
        onKeyDown={onListKeyDown}
        onFocusCapture={onFocusCapture}
        aria-label="Project activity"
        aria-busy={older.loading}
        style={{ position: "relative", height: items.length === 0 ? 0 : virtualizer.getTotalSize() }}
      >
        {rendered.map(({ index, start }) => {
          const a = items[index];
          if (!a) return null;
          return (
            <li
              key={a.id}
              ref={virtualizer.measureElement}
              data-index={index}
              {...LIST_ITEM}
              tabIndex={index === (rendered[0]?.index ?? 0) ? 0 : -1}
              aria-posinset={index + 1}
              aria-setsize={older.exhausted ? items.length : -1}
              className={styles.item}
              data-kind={a.kind}
              data-testid="activity-item"
              style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${startOf(start)}px)` }}
            >
              <time className={styles.time} dateTime={a.created_at}>
                {formatTime(a.created_at, "dayTime")}
              </time>
              <span className={styles.actor} data-actor-type={a.actor_type}>
                {describeActor(a, agentNames, session.user.id)}
              </span>
              <span className={styles.summary}>{a.summary}</span>
              <span className={styles.links}>
                {activityLinks({
                  ref: a.ref,
                  projectSlug: project.slug,
                  agentNames,
                  threadKeyOf: (id) => threads[id]?.thread_key,
                  taskTitleOf: (id) => tasks[id]?.title,
                }).map((link) => (
                  <Link key={`${link.kind}:${link.href}`} href={link.href} className={styles.link} data-link-kind={link.kind}>
                    {link.label}
                  </Link>
                ))}
              </span>
            </li>
          );
        })}
      </ol>
      {all.length > 0 ? <VirtualOlderFooter older={older} root={scroller} endText="This is the first thing that happened here." /> : null}
    </section>
  );
}
