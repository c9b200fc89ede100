"use client";

import styles from "./doc-refs.module.css";
import { docRefName } from "./parse-doc-refs.ts";
import type { TDocRefSuggestions } from "./use-doc-ref-suggestions.ts";

/** The open list of docs above a composer (a listbox the text box points at with aria-activedescendant). */
export function DocRefSuggestionsList({ suggestions }: { suggestions: TDocRefSuggestions }) {
  if (!suggestions.open) return null;
  return (
    <div className={styles.list} id={suggestions.listId} role="listbox" aria-label="Reference a doc" data-testid="doc-ref-suggestions">
      {suggestions.options.map((doc, i) => (
        <div
          key={doc.id}
          id={suggestions.optionId(i)}
          role="option"
          tabIndex={-1}
          aria-selected={i === suggestions.active}
          className={styles.option}
          onMouseDown={(event) => {
            // Keep the focus in the text box.
            event.preventDefault();
            suggestions.pick(doc);
          }}
        >
          <span className={styles.name}>#{docRefName(doc)}</span>
          <span className={styles.title}>{doc.title.trim() || doc.doc_type}</span>
          <span className={styles.owner}>{doc.agent_key ? `@${doc.agent_key}'s doc` : "project doc"}</span>
        </div>
      ))}
      <div className={styles.hint} aria-hidden="true">
        ↑↓ choose · Enter or Tab insert · Esc close · the doc's text goes with the message
      </div>
    </div>
  );
}
