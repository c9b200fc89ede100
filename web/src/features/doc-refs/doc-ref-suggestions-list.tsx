"use client";

import { SuggestionsListbox } from "../ui/suggestions-listbox.tsx";
import styles from "./doc-refs.module.css";
import { docRefName } from "./parse-doc-refs.ts";
import type { TDocRefSuggestions } from "./use-doc-ref-suggestions.ts";

/** The open list of docs above a composer. */
export function DocRefSuggestionsList({ suggestions }: { suggestions: TDocRefSuggestions }) {
  return (
    <SuggestionsListbox
      suggestions={suggestions}
      label="Reference a doc"
      testId="doc-ref-suggestions"
      classes={styles}
      keyOf={(doc) => doc.id}
      renderOption={(doc) => (
        <>
          <span className={styles.name}>#{docRefName(doc)}</span>
          <span className={styles.title}>{doc.title.trim() || doc.doc_type}</span>
          <span className={styles.owner}>{doc.agent_key ? `@${doc.agent_key}'s doc` : "project doc"}</span>
        </>
      )}
      hint="↑↓ choose · Enter or Tab insert · Esc close · the doc's text goes with the message"
    />
  );
}
