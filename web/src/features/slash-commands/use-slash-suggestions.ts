"use client";

import { type KeyboardEvent, useId, useState } from "react";
import { filterSlashCommands, insertSlashCommand, slashKeyAction, slashQuery, type TSlashCommand } from "./slash-suggestions.ts";

/** The slash-command suggestions of one composer: what is offered, which is active, and the wiring for its text box. */
export interface TSlashSuggestions {
  open: boolean;
  options: TSlashCommand[];
  active: number;
  listId: string;
  optionId(index: number): string;
  /** Handles a key while the list is open; true when the key was the list's (the composer does nothing else with it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** Inserts a command (a click on an option). */
  pick(command: TSlashCommand): void;
  /** ARIA attributes of the text box that owns the list. */
  inputProps: {
    "aria-autocomplete": "list";
    "aria-controls": string | undefined;
    "aria-activedescendant": string | undefined;
  };
}

/**
 * Offers the slash commands while a message starts with "/" (see slashQuery): ArrowUp/ArrowDown
 * move, Enter or Tab insert the command, Escape closes until the text changes. The composer keeps
 * the text; `apply` sets it and the caret after a pick. The message is sent as any other: the
 * database turns a command into a run.
 */
export function useSlashSuggestions(
  text: string,
  caret: number,
  apply: (next: { text: string; caret: number }) => void,
): TSlashSuggestions {
  const [active, setActive] = useState(0);
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const [activeFor, setActiveFor] = useState(text);
  const listId = useId();
  // A new text resets the highlight to the first option.
  const current = activeFor === text ? active : 0;
  const query = closedFor === text ? null : slashQuery(text, caret);
  const options = query === null ? [] : filterSlashCommands(query);
  const open = options.length > 0;
  const optionId = (index: number) => `${listId}-${index}`;

  const pick = (command: TSlashCommand) => {
    const next = insertSlashCommand(text, caret, command);
    setClosedFor(next.text);
    apply(next);
  };

  return {
    open,
    options,
    active: current,
    listId,
    optionId,
    pick,
    onKeyDown(event) {
      if (!open || event.nativeEvent.isComposing) return false;
      const action = slashKeyAction(event.key, current, options);
      if (!action) return false;
      event.preventDefault();
      if (action.kind === "move") {
        setActive(action.active);
        setActiveFor(text);
      } else if (action.kind === "pick") pick(action.command);
      else setClosedFor(text);
      return true;
    },
    inputProps: {
      "aria-autocomplete": "list",
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(current) : undefined,
    },
  };
}
