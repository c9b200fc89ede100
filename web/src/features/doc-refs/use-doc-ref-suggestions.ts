"use client";

import { type KeyboardEvent, useId, useState } from "react";
import { docRefQuery, filterDocRefs, insertDocRef, type TDocRefTarget } from "./parse-doc-refs.ts";

/** The `#doc` suggestions of one composer: what is offered, which is active, and the wiring for its text box. */
export interface TDocRefSuggestions {
  open: boolean;
  options: TDocRefTarget[];
  active: number;
  listId: string;
  optionId(index: number): string;
  /** Handles a key while the list is open; true when the key was the list's. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** Inserts a doc reference (a click on an option). */
  pick(doc: TDocRefTarget): void;
  /** ARIA attributes of the text box while the list is open. */
  inputProps: { "aria-controls": string | undefined; "aria-activedescendant": string | undefined };
}

/**
 * Offers the project's and the agents' docs while a `#word` is typed (see docRefQuery), the same
 * way the slash commands are offered: ArrowUp/ArrowDown move (wrapping), Enter or Tab insert
 * `#name `, Escape closes until the text changes. `apply` sets the text and caret after a pick.
 */
export function useDocRefSuggestions(
  text: string,
  caret: number,
  docs: readonly TDocRefTarget[],
  apply: (next: { text: string; caret: number }) => void,
): TDocRefSuggestions {
  const [active, setActive] = useState(0);
  const [activeFor, setActiveFor] = useState(text);
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const listId = useId();
  const current = activeFor === text ? active : 0;
  const query = closedFor === text ? null : docRefQuery(text, caret);
  const options = query ? filterDocRefs(docs, query.query) : [];
  const open = options.length > 0;
  const optionId = (index: number) => `${listId}-${index}`;

  const pick = (doc: TDocRefTarget) => {
    if (!query) return;
    const next = insertDocRef(text, query, caret, doc);
    setClosedFor(next.text);
    apply(next);
  };

  return {
    open,
    options,
    active: Math.min(current, Math.max(options.length - 1, 0)),
    listId,
    optionId,
    pick,
    onKeyDown(event) {
      if (!open || event.nativeEvent.isComposing) return false;
      const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
      if (step !== 0) {
        setActive((current + step + options.length) % options.length);
        setActiveFor(text);
      } else if (event.key === "Enter" || event.key === "Tab") {
        const doc = options[Math.min(Math.max(current, 0), options.length - 1)];
        if (doc) pick(doc);
      } else if (event.key === "Escape") setClosedFor(text);
      else return false;
      event.preventDefault();
      return true;
    },
    inputProps: {
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(Math.min(current, options.length - 1)) : undefined,
    },
  };
}
