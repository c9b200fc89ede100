"use client";

import type { TBrainDoc } from "@mission-control/shared/rows";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { docName, findDoc, groupDocs } from "./describe-docs.ts";
import { DocEditor } from "./doc-editor.tsx";
import { DocHistory } from "./doc-history.tsx";
import styles from "./knowledge.module.css";
import { NewDocForm } from "./new-doc-form.tsx";
import { readProjectDocs } from "./read-brain-docs.ts";

/** What the doc pane shows. */
type TPaneView = "doc" | "history";

/**
 * The Knowledge page: the project's docs and each agent's docs (brain_docs, live), grouped; the
 * chosen doc (`?doc=<id>`, or `?doc=mission`) in a markdown editor with preview for operators,
 * rendered for viewers; its history with a diff per version; "New doc" (`?doc=new`). Every agent
 * reads the mission and its own docs on each run; the mission is also the banner above every page.
 */
export function KnowledgeView() {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const router = useRouter();
  const params = useSearchParams();
  const rows = useLiveStore((s) => s.rows.brain_docs);
  const agents = useProjectAgents(project.id);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    readProjectDocs(client, project.id)
      .then((docs) => {
        store.getState().applyRows("brain_docs", docs);
        if (live) setLoadError(null);
      })
      .catch((err: Error) => live && setLoadError(err.message))
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [client, store, project.id]);

  const docs = useMemo(() => Object.values(rows).filter((d) => d.project_id === project.id), [rows, project.id]);
  const roster = useMemo(() => agents.map(({ agent }) => agent), [agents]);
  const groups = useMemo(() => groupDocs(docs, roster), [docs, roster]);
  const param = params.get("doc");
  const creating = param === "new" && canWrite;
  const open = creating ? null : (findDoc(docs, param) ?? (param ? null : (groups.find((g) => g.docs.length > 0)?.docs[0] ?? null)));
  const missionMissing = loaded && !docs.some((d) => d.doc_type === "mission" && d.agent_key === null);
  const href = (doc: string, extra = "") => `/p/${project.slug}/knowledge?doc=${encodeURIComponent(doc)}${extra}`;

  return (
    <section className={styles.page}>
      <div className={styles.header}>
        <h1 className={styles.title}>Knowledge</h1>
        <span className={styles.count}>
          {docs.length} {docs.length === 1 ? "doc" : "docs"}
        </span>
        <span className={styles.note}>Every agent reads the mission and its own docs on each run.</span>
        <span className={styles.spacer} />
        {canWrite && !creating ? (
          <Link className="button primary small" href={href("new")}>
            New doc
          </Link>
        ) : null}
      </div>
      {loadError ? (
        <p role="alert" className={styles.error}>
          {loadError}
        </p>
      ) : null}
      <div className={styles.layout}>
        <nav aria-label="Docs" className={styles.list}>
          {groups.map((group) => (
            <div key={group.agentKey ?? "project"} className={styles.group}>
              <h2 className={styles.groupTitle}>
                {group.label}
                {group.agentKey ? <span className={styles.groupKey}>@{group.agentKey}</span> : null}
              </h2>
              <ul>
                {group.docs.map((doc) => (
                  <li key={doc.id}>
                    <Link href={href(doc.id)} className={styles.item} aria-current={open?.id === doc.id ? "page" : undefined}>
                      <span className={styles.itemType}>{doc.doc_type}</span>
                      {doc.title.trim() && doc.title.trim() !== doc.doc_type ? <span className={styles.itemTitle}>{doc.title}</span> : null}
                    </Link>
                  </li>
                ))}
                {group.agentKey === null && missionMissing && canWrite ? (
                  <li>
                    <Link href={href("new", "&type=mission")} className={styles.item}>
                      <span className={styles.itemType}>mission</span>
                      <span className={styles.itemTitle}>Write the mission</span>
                    </Link>
                  </li>
                ) : null}
                {group.docs.length === 0 && !(group.agentKey === null && missionMissing && canWrite) ? (
                  <li className={styles.empty}>{loaded ? "No docs" : "Loading…"}</li>
                ) : null}
              </ul>
            </div>
          ))}
        </nav>
        <div className={styles.pane}>
          {creating ? (
            <NewDocForm
              key={`${params.get("agent") ?? ""}:${params.get("type") ?? ""}`}
              start={{ agentKey: params.get("agent") || null, docType: params.get("type") ?? "" }}
              docs={docs}
              agents={roster}
              onDone={(doc) => router.replace(doc ? href(doc.id) : `/p/${project.slug}/knowledge`)}
            />
          ) : open ? (
            <DocPane key={open.id} doc={open} agentName={roster.find((a) => a.agent_key === open.agent_key)?.display_name ?? null} />
          ) : loaded ? (
            <p className="muted">
              {param && param !== "new" ? "This doc does not exist (any more): pick one from the list." : "No docs yet."}
            </p>
          ) : (
            <p className="muted">Loading docs…</p>
          )}
        </div>
      </div>
    </section>
  );
}

/** The open doc: its identity and version, then the editor (operators) or the rendered text (viewers), or its history. */
function DocPane({ doc, agentName }: { doc: TBrainDoc; agentName: string | null }) {
  const { canWrite } = useProject();
  const formatTime = useFormatTime();
  const [view, setView] = useState<TPaneView>("doc");
  const isMission = doc.doc_type === "mission" && doc.agent_key === null;
  return (
    <article className={styles.doc} aria-label={docName(doc)} data-testid="knowledge-doc">
      <div className={styles.docHead}>
        <span className={styles.itemType}>{doc.doc_type}</span>
        <span className={styles.docOwner}>{doc.agent_key ? `${agentName ?? doc.agent_key} (@${doc.agent_key})` : "Project"}</span>
        <span className={styles.docVersion} data-testid="doc-version-number">
          version {doc.version} · saved {formatTime(doc.updated_at, "dayTime")}
        </span>
        <span className={styles.spacer} />
        <div className={styles.segmented}>
          <button type="button" aria-pressed={view === "doc"} onClick={() => setView("doc")}>
            {canWrite ? "Edit" : "Read"}
          </button>
          <button type="button" aria-pressed={view === "history"} onClick={() => setView("history")}>
            History
          </button>
        </div>
      </div>
      {isMission ? <p className={styles.hint}>The mission is the banner above every page and part of every agent's context.</p> : null}
      {/* Hidden, not unmounted: unsaved edits survive a look at the history. */}
      <div hidden={view !== "doc"}>
        {canWrite ? (
          <DocEditor doc={doc} />
        ) : (
          <div className={styles.read}>
            <h2 className={styles.paneTitle}>{docName(doc)}</h2>
            {doc.content.trim() ? <Markdown source={doc.content} /> : <p className="muted">This doc is empty.</p>}
            <p className="muted">Viewers read docs; owners and operators edit them.</p>
          </div>
        )}
      </div>
      {view === "history" ? <DocHistory doc={doc} /> : null}
    </article>
  );
}
