"use client";

import type { TBrainDoc } from "@mission-control/shared/rows";
import { type FormEvent, useId, useState } from "react";
import { DOC_TYPE_PATTERN } from "../agents/brain-doc-writes.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { MarkdownEditor } from "../markdown/markdown-editor.tsx";
import { useProject } from "../projects/project-context.tsx";
import { SUGGESTED_DOC_TYPES } from "./describe-docs.ts";
import styles from "./knowledge.module.css";
import { docConflictOf, saveBrainDoc } from "./save-brain-doc.ts";

/** Where a new doc starts: for the project (agentKey null) or an agent, and a doc type. */
export interface TNewDocStart {
  agentKey: string | null;
  docType: string;
}

/**
 * A new doc: who it belongs to (the project or one agent), its type (one doc per type and owner),
 * title and text. `docs` are the existing docs, to say "open it" instead of creating a duplicate.
 */
export function NewDocForm({
  start,
  docs,
  agents,
  onDone,
}: {
  start: TNewDocStart;
  docs: readonly TBrainDoc[];
  agents: ReadonlyArray<{ agent_key: string; display_name: string }>;
  onDone: (doc: TBrainDoc | null) => void;
}) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const uid = useId();
  const [owner, setOwner] = useState<string>(start.agentKey ?? "");
  const [docType, setDocType] = useState(start.docType);
  const [title, setTitle] = useState(start.docType === "mission" ? "Mission" : "");
  const [content, setContent] = useState("");
  const [busy, setBusy] = useState(false);
  const [typeIssue, setTypeIssue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const agentKey = owner === "" ? null : owner;
  const taken = docs.filter((d) => d.agent_key === agentKey).map((d) => d.doc_type);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const type = docType.trim();
    const existing = docs.find((d) => d.agent_key === agentKey && d.doc_type === type);
    if (!DOC_TYPE_PATTERN.test(type)) {
      setTypeIssue("lower-case letters, digits or _, starting with a letter (at most 32), such as runbook or style_guide");
    } else if (existing) {
      setTypeIssue(`${agentKey ? `@${agentKey}` : "The project"} has a "${type}" doc already: open it in the list, or pick another type`);
    } else {
      setTypeIssue(null);
    }
    if (!DOC_TYPE_PATTERN.test(type) || existing) {
      document.getElementById(`${uid}-type`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const doc = await saveBrainDoc(client, { projectId: project.id, agentKey, docType: type, title, content, baseVersion: 0 });
      store.getState().applyRows("brain_docs", [doc]);
      onDone(doc);
    } catch (err) {
      const conflict = docConflictOf(err);
      setError(
        conflict
          ? `${agentKey ? `@${agentKey}` : "The project"} has a "${type}" doc already (someone created it meanwhile): open it in the list.`
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={create} aria-label="New doc" noValidate>
      <h2 className={styles.paneTitle}>New doc</h2>
      <div className={styles.newFields}>
        <div className={styles.field}>
          <label htmlFor={`${uid}-owner`} className={styles.fieldLabel}>
            For
          </label>
          <select id={`${uid}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">The project</option>
            {agents.map((a) => (
              <option key={a.agent_key} value={a.agent_key}>
                {a.display_name} (@{a.agent_key})
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
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
            placeholder="runbook"
          />
          <datalist id={`${uid}-types`}>
            {SUGGESTED_DOC_TYPES.filter((type) => !taken.includes(type) && (type !== "mission" || agentKey === null)).map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          {typeIssue ? (
            <span id={`${uid}-type-issue`} className={styles.issue}>
              {typeIssue}
            </span>
          ) : null}
        </div>
        <div className={styles.field}>
          <label htmlFor={`${uid}-title`} className={styles.fieldLabel}>
            Title
          </label>
          <input
            id={`${uid}-title`}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Deploy runbook"
          />
        </div>
      </div>
      <MarkdownEditor
        label="Content"
        value={content}
        onChange={setContent}
        maxLength={200_000}
        rows={14}
        placeholder="Markdown: headings, lists, tables, code."
      />
      <div className={styles.actions}>
        <button type="submit" className="button primary small" disabled={busy}>
          {busy ? "Creating…" : "Create doc"}
        </button>
        <button type="button" className="button small" disabled={busy} onClick={() => onDone(null)}>
          Cancel
        </button>
        {error ? (
          <span role="alert" className={styles.error}>
            {error}
          </span>
        ) : null}
      </div>
    </form>
  );
}
