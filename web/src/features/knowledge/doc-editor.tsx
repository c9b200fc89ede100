"use client";

import type { TBrainDoc } from "@mission-control/shared/rows";
import dynamic from "next/dynamic";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { MarkdownEditor } from "../markdown/markdown-editor.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useElementWidth } from "../ui/use-element-width.ts";
import styles from "./knowledge.module.css";
import { docConflictOf, saveBrainDoc, type TDocConflict } from "./save-brain-doc.ts";

// The diff viewer measures the DOM: render it in the browser only.
const DocDiff = dynamic(() => import("./doc-diff.tsx"), { ssr: false, loading: () => <p className="muted">Loading the diff…</p> });

/** Side by side from this width of the pane; unified below. */
export const SPLIT_FROM_PX = 720;

/** What the editor was loaded from: a save is based on this version. */
interface TBase {
  title: string;
  content: string;
  version: number;
}

/**
 * One doc in the editor (operators): title and markdown with preview. Save sends the version it was
 * loaded from; the database refuses a save over a newer version, and the editor then shows both
 * texts with a choice: load theirs (drop mine) or save mine over theirs knowingly. While there are
 * no unsaved edits the editor follows the live doc.
 */
export function DocEditor({ doc }: { doc: TBrainDoc }) {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const titleId = useId();
  const paneRef = useRef<HTMLFormElement>(null);
  const split = useElementWidth(paneRef) >= SPLIT_FROM_PX;
  const [title, setTitle] = useState(doc.title);
  const [content, setContent] = useState(doc.content);
  const [base, setBase] = useState<TBase>({ title: doc.title, content: doc.content, version: doc.version });
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ message: string; current: TDocConflict } | null>(null);
  const [status, setStatus] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const dirty = title !== base.title || content !== base.content;
  const newerElsewhere = doc.version !== base.version;

  // Someone else saved this doc (an operator, an approved edit_doc): follow it unless there are edits here.
  useEffect(() => {
    if (!newerElsewhere || dirty) return;
    setTitle(doc.title);
    setContent(doc.content);
    setBase({ title: doc.title, content: doc.content, version: doc.version });
  }, [newerElsewhere, dirty, doc.title, doc.content, doc.version]);

  const save = async (baseVersion: number) => {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await saveBrainDoc(client, {
        projectId: doc.project_id,
        agentKey: doc.agent_key,
        docType: doc.doc_type,
        title,
        content,
        baseVersion,
      });
      store.getState().applyRows("brain_docs", [saved]);
      setBase({ title: saved.title, content: saved.content, version: saved.version });
      setTitle(saved.title);
      setConflict(null);
      setStatus({ tone: "ok", text: `Saved as version ${saved.version}. Agents read it from their next run.` });
    } catch (err) {
      const current = docConflictOf(err);
      if (current) setConflict({ message: (err as Error).message, current });
      else setStatus({ tone: "bad", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(base.version);
  };

  const loadTheirs = (current: TDocConflict) => {
    const next = { title: current.title ?? "", content: current.content ?? "", version: current.current_version };
    setTitle(next.title);
    setContent(next.content);
    setBase(next);
    setConflict(null);
    setStatus({ tone: "ok", text: `Loaded version ${current.current_version}; your changes were dropped.` });
  };

  return (
    <form ref={paneRef} className={styles.form} onSubmit={onSubmit} aria-label={`Edit ${doc.title.trim() || doc.doc_type}`}>
      <div className={styles.formHead}>
        <label htmlFor={titleId} className="visually-hidden">
          Title
        </label>
        <input
          id={titleId}
          className={styles.titleInput}
          value={title}
          maxLength={200}
          placeholder="Title"
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      {newerElsewhere && dirty && !conflict ? (
        <p className={styles.warning} role="status">
          Version {doc.version} was saved elsewhere after you opened version {base.version}: saving will show both texts first.
        </p>
      ) : null}
      {conflict ? (
        <section className={styles.conflict} aria-label="Save conflict" data-testid="doc-conflict">
          <p role="alert" className={styles.conflictText}>
            {conflict.message}
          </p>
          <DocDiff
            oldValue={conflict.current.content ?? ""}
            newValue={content}
            oldTitle={
              conflict.current.current_version === 0
                ? "Theirs: removed"
                : `Theirs: version ${conflict.current.current_version}${conflict.current.title !== title ? ` — "${conflict.current.title ?? ""}"` : ""}`
            }
            newTitle="Yours: not saved"
            split={split}
          />
          <div className={styles.actions}>
            <button type="button" className="button primary small" disabled={busy} onClick={() => save(conflict.current.current_version)}>
              {conflict.current.current_version === 0
                ? "Create it again with mine"
                : `Save mine over version ${conflict.current.current_version}`}
            </button>
            <button type="button" className="button small" disabled={busy} onClick={() => loadTheirs(conflict.current)}>
              {conflict.current.current_version === 0 ? "Drop mine" : "Load theirs, drop mine"}
            </button>
          </div>
        </section>
      ) : null}
      <MarkdownEditor label="Content" value={content} onChange={setContent} maxLength={200_000} rows={18} />
      <div className={styles.actions}>
        <button type="submit" className="button primary small" disabled={busy || !dirty || conflict !== null}>
          {busy ? "Saving…" : "Save"}
        </button>
        {dirty ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => {
              setTitle(base.title);
              setContent(base.content);
              setConflict(null);
              setStatus(null);
            }}
          >
            Discard changes
          </button>
        ) : null}
        <span className={styles.formStatus} aria-live="polite">
          {status ? (
            <span data-tone={status.tone} role={status.tone === "bad" ? "alert" : undefined}>
              {status.text}
            </span>
          ) : dirty ? (
            <span className="muted">Unsaved changes, based on version {base.version}</span>
          ) : null}
        </span>
      </div>
    </form>
  );
}
