"use client";

import { SuggestionsListbox } from "../ui/suggestions-listbox.tsx";
import styles from "./slash-commands.module.css";
import type { TSlashSuggestions } from "./use-slash-suggestions.ts";

/** The open list of slash commands above a composer. */
export function SlashSuggestionsList({ suggestions }: { suggestions: TSlashSuggestions }) {
  return (
    <SuggestionsListbox
      suggestions={suggestions}
      label="Slash commands"
      testId="slash-suggestions"
      classes={styles}
      keyOf={(option) => option.command}
      renderOption={(option) => (
        <>
          <span className={styles.usage}>{option.usage}</span>
          <span className={styles.description}>{option.description}</span>
        </>
      )}
      hint="↑↓ choose · Enter or Tab insert · Esc close"
    />
  );
}
