"use client";

import {
  defaultRangeExtractor,
  observeWindowOffset,
  observeWindowRect,
  type Range,
  useVirtualizer,
  type Virtualizer,
  windowScroll,
} from "@tanstack/react-virtual";
import { type FocusEvent, useCallback, useLayoutEffect, useRef, useState } from "react";

/**
 * Lists this short render every row (the browser's find-in-page, and specs counting rows, see
 * them all); longer ones render the rows on screen and a few either side.
 */
export const FULL_RENDER_MAX = 50;

/** Rows rendered above and below the screen of a long list: keyboard focus moves into them without a blank frame. */
const OVERSCAN = 8;

/**
 * The screen a list assumes before it has measured one: on the server, and in the browser while it
 * hydrates the server's HTML (both must render the same rows). A desk's screen; a list that turns
 * out smaller or larger re-renders its range once measured.
 */
export const INITIAL_RECT = { width: 1280, height: 900 } as const;

/**
 * The ancestor that scrolls the list vertically (the app shell's content area), or null when the
 * window does. A box with only `overflow-x: auto` computes `overflow-y: auto` too, so among the
 * candidates the first one that overflows vertically wins, else the outermost.
 */
export function findScrollParent(element: HTMLElement): HTMLElement | null {
  let outermost: HTMLElement | null = null;
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if (overflowY !== "auto" && overflowY !== "scroll" && overflowY !== "overlay") continue;
    if (node.scrollHeight > node.clientHeight + 1) return node;
    outermost = node;
  }
  return outermost;
}

/** Where the list starts in its scroller's content (the page title and filters sit above it). */
function offsetInScroller(list: HTMLElement, scroller: HTMLElement | null): number {
  const top = list.getBoundingClientRect().top;
  if (!scroller) return top + window.scrollY;
  return top - scroller.getBoundingClientRect().top - scroller.clientTop + scroller.scrollTop;
}

/** Adds the focused row to the rendered range, so scrolling it away never drops keyboard focus to the page. */
export function keepFocused(range: Range, focused: number | null): number[] {
  const indexes = defaultRangeExtractor(range);
  if (focused === null || focused >= range.count || indexes.includes(focused)) return indexes;
  return [...indexes, focused].sort((a, b) => a - b);
}

/** The virtual index (`data-index`) of the row a focus event landed in, or null. */
export function focusedIndexOf(event: FocusEvent<HTMLElement>): number | null {
  const row = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
  return row?.dataset.index ? Number(row.dataset.index) : null;
}

/** What a page-long virtual list renders with; see usePageVirtualizer. */
export interface TPageVirtualizer<TList extends HTMLElement> {
  /** On the list element (the `<ol>`, the `<tbody>`'s table): where rows are laid out. */
  listRef: React.RefObject<TList | null>;
  virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  /** The scrolling ancestor (null: the window); the "older rows" footer observes within it. */
  scroller: HTMLElement | null;
  /** A row's top inside the list element (for `translateY` or spacer rows). */
  startOf(start: number): number;
  /** On the list element: remembers the focused row (`data-index`) so it stays rendered. */
  onFocusCapture(event: FocusEvent<HTMLElement>): void;
}

/**
 * Virtualises a list that scrolls with the page (the feed, the task table, the approvals history)
 * rather than inside a box of its own: it finds the scrolling ancestor (the shell's content area,
 * or the window), measures where the list starts in it (`scrollMargin`), and renders only the rows
 * on screen. Rows are measured once rendered (`measureElement`), so they may wrap to any height.
 */
export function usePageVirtualizer<TList extends HTMLElement>(options: {
  count: number;
  estimateSize: number;
  getItemKey: (index: number) => string;
}): TPageVirtualizer<TList> {
  const listRef = useRef<TList>(null);
  // undefined until mounted; null when the window scrolls.
  const [scroller, setScroller] = useState<HTMLElement | null | undefined>(undefined);
  const [scrollMargin, setScrollMargin] = useState(0);
  const focused = useRef<number | null>(null);

  useLayoutEffect(() => {
    if (listRef.current) setScroller(findScrollParent(listRef.current));
  }, []);
  // Every render: what sits above the list (filters wrapping, a banner) moves where it starts.
  useLayoutEffect(() => {
    if (!listRef.current || scroller === undefined) return;
    const margin = Math.round(offsetInScroller(listRef.current, scroller));
    if (margin !== scrollMargin) setScrollMargin(margin);
  });

  const { count, estimateSize, getItemKey } = options;
  const windowMode = scroller === null;
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count,
    estimateSize: () => estimateSize,
    getItemKey,
    getScrollElement: () => scroller ?? null,
    scrollMargin,
    overscan: count <= FULL_RENDER_MAX ? FULL_RENDER_MAX : OVERSCAN,
    rangeExtractor: (range) => keepFocused(range, focused.current),
    initialRect: INITIAL_RECT,
    // The window scrolls (no scrolling ancestor): the window's size and offset, typed as the element's.
    ...(windowMode
      ? {
          getScrollElement: () => window as unknown as HTMLElement,
          observeElementRect: observeWindowRect as never,
          observeElementOffset: observeWindowOffset as never,
          scrollToFn: windowScroll as never,
        }
      : {}),
  });

  const onFocusCapture = useCallback((event: FocusEvent<HTMLElement>) => {
    focused.current = focusedIndexOf(event);
  }, []);

  return {
    listRef,
    virtualizer,
    scroller: scroller ?? null,
    startOf: (start) => start - scrollMargin,
    onFocusCapture,
  };
}
