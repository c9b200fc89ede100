"use client";

import type { ReactNode } from "react";

/** What a composer's suggestion hook gives the list: the options, the active one and how to pick. */
export interface TListboxSuggestions<T> {
  open: boolean;
  options: readonly T[];
  active: number;
  listId: string;
  optionId(index: number): string;
  pick(option: T): void;
}

/**
 * The open list of suggestions above a composer (slash commands, `#doc` references): a listbox the
 * text box points at with aria-activedescendant; a click picks an option without taking the focus
 * from the text box. Each feature brings its own look (`classes`) and option content.
 */
export function SuggestionsListbox<T>(props: {
  suggestions: TListboxSuggestions<T>;
  label: string;
  testId: string;
  classes: { list?: string; option?: string; hint?: string };
  keyOf: (option: T) => string;
  renderOption: (option: T) => ReactNode;
  hint: string;
}) {
  const { suggestions, classes } = props;
  if (!suggestions.open) return null;
  return (
    <div className={classes.list} id={suggestions.listId} role="listbox" aria-label={props.label} data-testid={props.testId}>
      {suggestions.options.map((option, i) => (
        <div
          key={props.keyOf(option)}
          id={suggestions.optionId(i)}
          role="option"
          tabIndex={-1}
          aria-selected={i === suggestions.active}
          className={classes.option}
          onMouseDown={(event) => {
            // Keep the focus in the text box.
            event.preventDefault();
            suggestions.pick(option);
          }}
        >
          {props.renderOption(option)}
        </div>
      ))}
      <div className={classes.hint} aria-hidden="true">
        {props.hint}
      </div>
    </div>
  );
}
