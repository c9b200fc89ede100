"use client";

import styles from "./slash-commands.module.css";
import type { TSlashSuggestions } from "./use-slash-suggestions.ts";

/** The open list of slash commands above a composer (a listbox the text box points at with aria-activedescendant). */
export function SlashSuggestionsList({ suggestions }: { suggestions: TSlashSuggestions }) {
  if (!suggestions.open) return null;
  return (
    <div className={styles.list} id={suggestions.listId} role="listbox" aria-label="Slash commands" data-testid="slash-suggestions">
      {suggestions.options.map((option, i) => (
        <div
          key={option.command}
          id={suggestions.optionId(i)}
          role="option"
          tabIndex={-1}
          aria-selected={i === suggestions.active}
          className={styles.option}
          onMouseDown={(event) => {
            // Keep the focus in the text box.
            event.preventDefault();
            suggestions.pick(option);
          }}
        >
          <span className={styles.usage}>{option.usage}</span>
          <span className={styles.description}>{option.description}</span>
        </div>
      ))}
      <div className={styles.hint} aria-hidden="true">
        ↑↓ choose · Enter or Tab insert · Esc close
      </div>
    </div>
  );
}
