"use client";

import type { TAgent, TBrainDoc } from "@mission-control/shared/rows";
import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { MarkdownEditor } from "../markdown/markdown-editor.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./agent-page.module.css";
import { createBrainDoc, DOC_TYPE_PATTERN, deleteBrainDoc, updateBrainDoc } from "./brain-doc-writes.ts";
import { readAgentBrainDocs } from "./read-agent-history.ts";

/** The doc types every agent is expected to have, first in the list. */
const USUAL_DOC_TYPES = ["instructions", "memory"] as const;
/** Suggestions for a new doc's type. */
const SUGGESTED_DOC_TYPES = ["instructions", "memory", "playbook", "notes", "style_guide", "runbook"];

const orderOf = (docType: string) => {
  const index = USUAL_DOC_TYPES.indexOf(docType as (typeof USUAL_DOC_TYPES)[number]);
  return index === -1 ? USUAL_DOC_TYPES.length : index;
};

/** A doc's name in the list: its title, else its type. */
const docName = (doc: TBrainDoc) => doc.title.trim() || doc.doc_type;

/**
 * The agent's brain docs (instructions, memory, any doc type): a list and, beside it, the open
 * doc in a markdown editor with preview. Operators create, edit and delete docs directly (RLS);
 * viewers read them rendered. Docs are read on demand and stay live through the store.
 */
export function AgentBrainDocs({ agent }: { agent: TAgent }) {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const rows = useLiveStore((s) => s.rows.brain_docs);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected] = useState<string | "new" | null>(null);

  useEffect(() => {
    let live = true;
    readAgentBrainDocs(client, project.id, agent.agent_key)
      .then((docs) => {
        store.getState().applyRows("brain_docs", docs);
        if (live) setLoadError(null);
      })
      .catch((err: Error) => live && setLoadError(err.message))
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [client, store, project.id, agent.agent_key]);

  const docs = useMemo(
    () =>
      Object.values(rows)
        .filter((doc) => doc.project_id === project.id && doc.agent_key === agent.agent_key)
        .sort((a, b) => orderOf(a.doc_type) - orderOf(b.doc_type) || a.doc_type.localeCompare(b.doc_type)),
    [rows, project.id, agent.agent_key],
  );
  const open = selected === "new" ? null : (docs.find((doc) => doc.id === selected) ?? docs[0] ?? null);
  const showNew = selected === "new" || (loaded && docs.length === 0 && canWrite);

  return (
    <section className={styles.card} aria-labelledby="agent-docs-title">
      <div className={styles.cardHead}>
        <h2 className={styles.cardTitle} id="agent-docs-title">
          Brain docs
        </h2>
        <span className={styles.cardNote}>Included in the agent's context on every delivery.</span>
        <span className={styles.spacer} />
        {canWrite && selected !== "new" ? (
          <button type="button" className="button small" onClick={() => setSelected("new")}>
            New doc
          </button>
        ) : null}
      </div>
      {loadError ? (
        <p role="alert" className={styles.error}>
          {loadError}
        </p>
      ) : null}
      <div className={styles.docs}>
        <nav aria-label="Docs of this agent" className={styles.docList}>
          {docs.length === 0 ? <p className="muted">{loaded ? "No docs yet." : "Loading docs…"}</p> : null}
          <ul>
            {docs.map((doc) => (
              <li key={doc.id}>
                <button
                  type="button"
                  className={styles.docItem}
                  aria-current={!showNew && open?.id === doc.id ? "true" : undefined}
                  onClick={() => setSelected(doc.id)}
                >
                  <span className={styles.docType}>{doc.doc_type}</span>
                  {doc.title.trim() ? <span className={styles.docTitle}>{doc.title}</span> : null}
                  <span className={styles.docSize}>{doc.content.length.toLocaleString("en-US")} chars</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.docPane}>
          {showNew ? (
            <NewDocForm
              agent={agent}
              taken={docs.map((doc) => doc.doc_type)}
              onDone={(doc) => setSelected(doc ? doc.id : null)}
              canCancel={docs.length > 0}
            />
          ) : open ? (
            canWrite ? (
              <DocEditor key={open.id} doc={open} onDeleted={() => setSelected(null)} />
            ) : (
              <article className={styles.docRead} aria-label={docName(open)}>
                <h3 className={styles.docReadTitle}>{docName(open)}</h3>
                {open.content.trim() ? <Markdown source={open.content} /> : <p className="muted">This doc is empty.</p>}
              </article>
            )
          ) : loaded ? (
            <p className="muted">This agent has no docs.</p>
          ) : null}
        </div>
      </div>
    </section>
  );
}

/** Runs a doc write the way every dashboard write runs: database first, errors in words. */
function useDocWrite() {
  const store = useLiveStoreApi();
  return <T,>(write: () => Promise<T>) => executeWithFallback({ write }, createFallbackDeps(store)).then((outcome) => outcome.result);
}

/** One doc in the editor: title and markdown text; Save doc, Discard changes, Delete doc (confirmed). */
function DocEditor({ doc, onDeleted }: { doc: TBrainDoc; onDeleted: () => void }) {
  const { client } = useProject();
  const store = useLiveStoreApi();
  const run = useDocWrite();
  const titleId = useId();
  const [title, setTitle] = useState(doc.title);
  const [content, setContent] = useState(doc.content);
  const [base, setBase] = useState({ title: doc.title, content: doc.content, version: doc.version });
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const dirty = title !== base.title || content !== base.content;
  const changedElsewhere = doc.title !== base.title || doc.content !== base.content;

  // Someone else saved this doc (or the agent's memory changed): follow it unless there are edits here.
  useEffect(() => {
    if (!changedElsewhere || dirty) return;
    setTitle(doc.title);
    setContent(doc.content);
    setBase({ title: doc.title, content: doc.content, version: doc.version });
  }, [changedElsewhere, dirty, doc.title, doc.content, doc.version]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const saved = await run(() => updateBrainDoc(client, doc, { title, content, baseVersion: base.version }));
      store.getState().applyRows("brain_docs", [saved]);
      setBase({ title: saved.title, content: saved.content, version: saved.version });
      setTitle(saved.title);
      setStatus({ tone: "ok", text: "Saved. The next delivery uses it." });
    } catch (err) {
      setStatus({ tone: "bad", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setStatus(null);
    try {
      await run(() => deleteBrainDoc(client, doc.id));
      store.getState().removeRows("brain_docs", [doc.id]);
      onDeleted();
    } catch (err) {
      setStatus({ tone: "bad", text: err instanceof Error ? err.message : String(err) });
      setBusy(false);
    }
  };

  return (
    <form className={styles.docForm} onSubmit={save} aria-label={`Edit ${docName(doc)}`}>
      <div className={styles.docFormHead}>
        <span className={styles.docType}>{doc.doc_type}</span>
        <label htmlFor={titleId} className="visually-hidden">
          Title
        </label>
        <input
          id={titleId}
          className={styles.docTitleInput}
          value={title}
          maxLength={200}
          placeholder="Title"
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      {changedElsewhere && dirty ? (
        <p className={styles.warning} role="status">
          This doc was changed elsewhere since you opened it: saving is refused. Compare both texts on the Knowledge page, or discard your
          changes.
        </p>
      ) : null}
      <MarkdownEditor label="Content" value={content} onChange={setContent} maxLength={200_000} rows={16} />
      <div className={styles.formActions}>
        <button type="submit" className="button primary small" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save doc"}
        </button>
        {dirty ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => {
              setTitle(base.title);
              setContent(base.content);
              setStatus(null);
            }}
          >
            Discard changes
          </button>
        ) : null}
        <span className={styles.spacer} />
        {confirming ? (
          <>
            <span className={styles.confirmText}>Delete this doc?</span>
            <button type="button" className={`button small ${styles.danger}`} disabled={busy} onClick={remove}>
              Confirm delete
            </button>
            <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className={`button small ${styles.danger}`} disabled={busy} onClick={() => setConfirming(true)}>
            Delete doc
          </button>
        )}
      </div>
      <div aria-live="polite" className={styles.formStatus}>
        {status ? (
          <span data-tone={status.tone} role={status.tone === "bad" ? "alert" : undefined}>
            {status.text}
          </span>
        ) : dirty ? (
          <span className="muted">Unsaved changes</span>
        ) : null}
      </div>
    </form>
  );
}

/** A new doc for the agent: its type (one doc per type), title and text. */
function NewDocForm({
  agent,
  taken,
  onDone,
  canCancel,
}: {
  agent: TAgent;
  taken: readonly string[];
  onDone: (doc: TBrainDoc | null) => void;
  canCancel: boolean;
}) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const run = useDocWrite();
  const uid = useId();
  const firstFree = USUAL_DOC_TYPES.find((type) => !taken.includes(type)) ?? "";
  const [docType, setDocType] = useState<string>(firstFree);
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [busy, setBusy] = useState(false);
  const [typeIssue, setTypeIssue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const type = docType.trim();
    if (!DOC_TYPE_PATTERN.test(type)) {
      setTypeIssue("lower-case letters, digits or _, starting with a letter (at most 32), such as memory or playbook");
      document.getElementById(`${uid}-type`)?.focus();
      return;
    }
    if (taken.includes(type)) {
      setTypeIssue(`@${agent.agent_key} already has a "${type}" doc: open it in the list, or pick another type`);
      document.getElementById(`${uid}-type`)?.focus();
      return;
    }
    setTypeIssue(null);
    setBusy(true);
    setError(null);
    try {
      const doc = await run(() =>
        createBrainDoc(client, { projectId: project.id, agentKey: agent.agent_key, docType: type, title, content }),
      );
      store.getState().applyRows("brain_docs", [doc]);
      onDone(doc);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.docForm} onSubmit={create} aria-label="New doc" noValidate>
      <div className={styles.newDocFields}>
        <div className={styles.fieldCol}>
          <label htmlFor={`${uid}-type`} className={styles.fieldLabel}>
            Doc type
          </label>
          <input
            id={`${uid}-type`}
            list={`${uid}-types`}
            value={docType}
            onChange={(e) => setDocType(e.target.value)}
            maxLength={32}
            spellCheck={false}
            aria-invalid={typeIssue ? true : undefined}
            aria-describedby={typeIssue ? `${uid}-type-issue` : undefined}
            placeholder="memory"
          />
          <datalist id={`${uid}-types`}>
            {SUGGESTED_DOC_TYPES.filter((type) => !taken.includes(type)).map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          {typeIssue ? (
            <span id={`${uid}-type-issue`} className={styles.issue}>
              {typeIssue}
            </span>
          ) : null}
        </div>
        <div className={styles.fieldCol}>
          <label htmlFor={`${uid}-title`} className={styles.fieldLabel}>
            Title
          </label>
          <input
            id={`${uid}-title`}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="What the agent should remember"
          />
        </div>
      </div>
      <MarkdownEditor
        label="Content"
        value={content}
        onChange={setContent}
        maxLength={200_000}
        rows={12}
        placeholder="Markdown: headings, lists, tables, code."
      />
      <div className={styles.formActions}>
        <button type="submit" className="button primary small" disabled={busy}>
          {busy ? "Creating…" : "Create doc"}
        </button>
        {canCancel ? (
          <button type="button" className="button small" disabled={busy} onClick={() => onDone(null)}>
            Cancel
          </button>
        ) : null}
        {error ? (
          <span role="alert" className={styles.error}>
            {error}
          </span>
        ) : null}
      </div>
    </form>
  );
}
