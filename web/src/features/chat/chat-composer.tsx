"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { type KeyboardEvent, useId, useMemo, useRef, useState } from "react";
import { DocRefChips } from "../doc-refs/doc-ref-chips.tsx";
import { DocRefSuggestionsList } from "../doc-refs/doc-ref-suggestions-list.tsx";
import { docRefName, resolveDocRefs } from "../doc-refs/parse-doc-refs.ts";
import { useDocRefCatalog } from "../doc-refs/use-doc-ref-catalog.ts";
import { useDocRefSuggestions } from "../doc-refs/use-doc-ref-suggestions.ts";
import { SlashSuggestionsList } from "../slash-commands/slash-suggestions-list.tsx";
import { useSlashSuggestions } from "../slash-commands/use-slash-suggestions.ts";
import styles from "./chat.module.css";
import { useChatActions } from "./use-chat-actions.ts";

/** The @word being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([a-z0-9_-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - (match[2]?.length ?? 0) - 1, query: match[2] ?? "" };
}

/**
 * The message box: Enter sends, Shift+Enter adds a line. With `mentionable` agents, typing @
 * offers them (ArrowUp/ArrowDown to pick, Enter or Tab to insert, Escape to close); a "/" at the
 * start offers the slash commands the same way, and "#" the project's and agents' docs (a picked
 * doc's text goes into the context of what the message starts; the chips show which references
 * resolve). A failed send keeps the text and the message id,
 * so sending again cannot make a duplicate.
 */
export function ChatComposer({ threadKey, placeholder, mentionable }: { threadKey: string; placeholder: string; mentionable?: TAgent[] }) {
  const actions = useChatActions();
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const messageId = useRef<string>(crypto.randomUUID());
  const input = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const slash = useSlashSuggestions(text, caret, (next) => {
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  });

  const catalog = useDocRefCatalog();
  const docRefs = useDocRefSuggestions(slash.open ? "" : text, caret, catalog, (next) => {
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  });
  const referenced = useMemo(
    () => resolveDocRefs(text, catalog).map((doc) => ({ id: doc.id, ref: docRefName(doc), title: doc.title })),
    [text, catalog],
  );

  const mention = mentionable && !dismissed && !slash.open && !docRefs.open ? mentionQuery(text, caret) : null;
  const options = mention ? (mentionable ?? []).filter((a) => a.agent_key.startsWith(mention.query) && a.enabled) : [];
  const showOptions = options.length > 0;

  const insertMention = (agent: TAgent) => {
    if (!mention) return;
    const next = `${text.slice(0, mention.start)}@${agent.agent_key} ${text.slice(caret)}`;
    const pos = mention.start + agent.agent_key.length + 2;
    setText(next);
    setCaret(pos);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(pos, pos));
  };

  const send = async () => {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await actions.send({ threadKey, content, messageId: messageId.current });
      messageId.current = crypto.randomUUID();
      // Keep what was typed while the message was on its way: only the sent text is cleared.
      setText((current) => (current.trim() === content ? "" : current));
      setNotice(outcome.notice);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (slash.onKeyDown(event)) return;
    if (docRefs.onKeyDown(event)) return;
    if (showOptions) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + options.length) % options.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        const agent = options[Math.min(active, options.length - 1)];
        if (agent) insertMention(agent);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissed(true);
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className={styles.composer}>
      <SlashSuggestionsList suggestions={slash} />
      <DocRefSuggestionsList suggestions={docRefs} />
      {showOptions ? (
        <div className={styles.mentions} id={listId} role="listbox" aria-label="Mention an agent">
          {options.map((agent, i) => (
            <div
              key={agent.id}
              tabIndex={-1}
              id={`${listId}-${agent.agent_key}`}
              role="option"
              aria-selected={i === active}
              className={styles.mentionOption}
              onMouseDown={(e) => {
                e.preventDefault();
                insertMention(agent);
              }}
            >
              <span>@{agent.agent_key}</span>
              <span className="muted">{agent.display_name}</span>
            </div>
          ))}
        </div>
      ) : null}
      <div className={styles.composerRow}>
        <textarea
          ref={input}
          className={styles.textarea}
          rows={2}
          value={text}
          placeholder={placeholder}
          aria-label={placeholder}
          aria-autocomplete="list"
          aria-controls={slash.open ? slash.listId : docRefs.open ? docRefs.listId : showOptions ? listId : undefined}
          aria-activedescendant={
            slash.open
              ? slash.inputProps["aria-activedescendant"]
              : docRefs.open
                ? docRefs.inputProps["aria-activedescendant"]
                : showOptions && options[active]
                  ? `${listId}-${options[active].agent_key}`
                  : undefined
          }
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            setDismissed(false);
            setActive(0);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="button primary" onClick={() => void send()} disabled={busy || text.trim() === ""}>
          Send
        </button>
      </div>
      <DocRefChips docs={referenced} label="Docs sent with it" />
      <div className={styles.composerStatus} aria-live="polite">
        {error ? (
          <span role="alert" className={styles.deliveryError}>
            {error}
          </span>
        ) : notice ? (
          <span className={styles.notice} data-testid="queued-notice">
            {notice}
          </span>
        ) : (
          <span className="muted">
            Enter to send · Shift+Enter for a new line{mentionable ? " · @ to mention an agent" : ""} · # for a doc · / for commands
          </span>
        )}
      </div>
    </div>
  );
}
