"use client";

import type { KeyboardEvent } from "react";

/** Marks an element as one stop of a keyboard-navigable list. */
export const LIST_ITEM = { "data-list-item": "" } as const;

/**
 * Keyboard handler for a list container: ArrowUp/ArrowDown (and j/k), Home and End move focus
 * between the container's `[data-list-item]` elements. Tab still leaves the list.
 */
export function onListKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const target = event.target as HTMLElement;
  if (target.closest("input, textarea, select")) return;
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLElement>("[data-list-item]"));
  if (items.length === 0) return;
  const index = items.findIndex((item) => item === target || item.contains(target));
  let next: number | undefined;
  if (event.key === "ArrowDown" || event.key === "j") next = Math.min(items.length - 1, index + 1);
  else if (event.key === "ArrowUp" || event.key === "k") next = Math.max(0, index <= 0 ? 0 : index - 1);
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = items.length - 1;
  if (next === undefined) return;
  event.preventDefault();
  items[next]?.focus();
}
