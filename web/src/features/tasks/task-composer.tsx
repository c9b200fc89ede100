"use client";

import { useMemo, useRef, useState } from "react";
import { DocRefChips } from "../doc-refs/doc-ref-chips.tsx";
import { DocRefSuggestionsList } from "../doc-refs/doc-ref-suggestions-list.tsx";
import { docRefName, resolveDocRefs } from "../doc-refs/parse-doc-refs.ts";
import { useDocRefCatalog } from "../doc-refs/use-doc-ref-catalog.ts";
import { useDocRefSuggestions } from "../doc-refs/use-doc-ref-suggestions.ts";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { SlashSuggestionsList } from "../slash-commands/slash-suggestions-list.tsx";
import { useSlashSuggestions } from "../slash-commands/use-slash-suggestions.ts";
import styles from "./task-detail.module.css";
import { addTaskEvent } from "./task-writes.ts";

/**
 * The reply box of a task thread: a comment (Enter sends; a "/" at the start offers the slash
 * commands, which the database turns into runs; "#" offers the docs, whose text then goes into the
 * context of the runs the comment starts) or an output with an optional title and link.
 */
export function TaskComposer({ taskId }: { taskId: string }) {
  const { project, client, session } = useProject();
  const store = useLiveStoreApi();
  const [kind, setKind] = useState<"comment" | "output_added">("comment");
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const [title, setTitle] = useState("");
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const slash = useSlashSuggestions(kind === "comment" ? text : "", caret, (next) => {
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  });

  const catalog = useDocRefCatalog();
  const docRefs = useDocRefSuggestions(kind === "comment" && !slash.open ? text : "", caret, catalog, (next) => {
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  });
  const referenced = useMemo(
    () => (kind === "comment" ? resolveDocRefs(text, catalog).map((doc) => ({ id: doc.id, ref: docRefName(doc), title: doc.title })) : []),
    [kind, text, catalog],
  );

  const send = async () => {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setError(null);
    try {
      const metadata: Record<string, string> = {};
      if (kind === "output_added" && title.trim()) metadata.title = title.trim();
      if (kind === "output_added" && url.trim()) metadata.url = url.trim();
      const event = await addTaskEvent(client, { projectId: project.id, taskId, userId: session.user.id, kind, content, metadata });
      store.getState().applyRows("task_events", [event]);
      setText("");
      setTitle("");
      setUrl("");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.composer}>
      <SlashSuggestionsList suggestions={slash} />
      <DocRefSuggestionsList suggestions={docRefs} />
      <div style={{ display: "flex", gap: 6 }}>
        <button type="button" className="button small" aria-pressed={kind === "comment"} onClick={() => setKind("comment")}>
          Comment
        </button>
        <button type="button" className="button small" aria-pressed={kind === "output_added"} onClick={() => setKind("output_added")}>
          Add output
        </button>
      </div>
      {kind === "output_added" ? (
        <div style={{ display: "flex", gap: 6 }}>
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Output title"
            aria-label="Output title"
            style={{ flex: 1 }}
          />
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="Link (optional)"
            aria-label="Output link"
            style={{ flex: 1 }}
          />
        </div>
      ) : null}
      <div className={styles.composerRow}>
        <textarea
          ref={input}
          rows={2}
          value={text}
          {...slash.inputProps}
          {...(docRefs.open ? docRefs.inputProps : {})}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          placeholder={kind === "comment" ? "Reply to the thread" : "The output: a summary, a result, a path"}
          aria-label={kind === "comment" ? "Reply to the thread" : "Output"}
          onKeyDown={(e) => {
            if (slash.onKeyDown(e)) return;
            if (docRefs.onKeyDown(e)) return;
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && kind === "comment") {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="button" className="button primary" onClick={() => void send()} disabled={busy || text.trim() === ""}>
          {kind === "comment" ? "Send" : "Add output"}
        </button>
      </div>
      <DocRefChips docs={referenced} label="Docs sent with it" />
      {error ? (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      ) : (
        <span className="muted" style={{ fontSize: 11 }}>
          {kind === "comment"
            ? "Enter to send · Shift+Enter for a new line · # for a doc · / for commands"
            : "Outputs are listed in the thread with their title and link"}
        </span>
      )}
    </div>
  );
}
