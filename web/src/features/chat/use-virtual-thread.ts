"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type FocusEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { TOlderRows } from "../live/use-older-rows.ts";
import { FULL_RENDER_MAX, focusedIndexOf, INITIAL_RECT, keepFocused } from "../ui/virtual-page-list.ts";

/** Closer than this to the bottom counts as "at the bottom" (a line of slack for rounding and a half-read last line). */
const AT_BOTTOM_PX = 48;
/** Closer than this to the top asks for older messages (a screen or so ahead of the reader). */
const LOAD_OLDER_PX = 600;
/** A short message with its header; messages are measured once rendered. */
const MESSAGE_ESTIMATE_PX = 72;
/** Messages rendered above and below the screen of a long thread. */
const OVERSCAN = 6;

/**
 * Scrolling of a chat thread: only the messages on screen are rendered (threads of up to
 * FULL_RENDER_MAX render whole), the list stays pinned to its newest message while the reader is
 * at the bottom, and once they scroll up new messages count into `unseen` (for the "new messages"
 * pill) until they come back down or call `scrollToBottom`. Near the top it asks for older
 * messages (`older`); they are prepended without moving what the reader is looking at (the
 * virtualizer anchors to the message at the scroll position, `anchorTo: "end"`).
 *
 * Content also grows without a new message (a reply's code block laying out, a message measured,
 * the "working…" line): a ResizeObserver on the content keeps the pin through that too.
 */
export function useVirtualThread(keys: readonly string[], older: TOlderRows) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** The scroll position at the last scroll event, to tell a move up from content growing below. */
  const lastTop = useRef(0);
  const focused = useRef<number | null>(null);
  const lastKey = keys[keys.length - 1] ?? null;
  const seenKey = useRef(lastKey);
  const [unseen, setUnseen] = useState(0);
  const [margin, setMargin] = useState(0);
  const count = keys.length;

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => MESSAGE_ESTIMATE_PX,
    getItemKey: (index) => keys[index] ?? String(index),
    overscan: count <= FULL_RENDER_MAX ? FULL_RENDER_MAX : OVERSCAN,
    rangeExtractor: (range) => keepFocused(range, focused.current),
    scrollMargin: margin,
    anchorTo: "end",
    initialRect: INITIAL_RECT,
  });

  // Where the list starts in the scroller (its padding).
  useLayoutEffect(() => {
    const el = list.current;
    const box = scroller.current;
    if (!el || !box) return;
    const next = Math.round(el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop);
    if (next !== margin) setMargin(next);
  });

  const pin = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  /** How many messages came after the newest one the reader saw. */
  const countUnseen = useCallback(() => {
    const seen = seenKey.current === null ? -1 : keys.indexOf(seenKey.current);
    return seen < 0 && seenKey.current !== null ? 0 : keys.length - 1 - seen;
  }, [keys]);

  const nearTop = useCallback(() => {
    const el = scroller.current;
    return !!el && !atBottom.current && el.scrollTop < LOAD_OLDER_PX;
  }, []);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    // Only a move up leaves the bottom. Content that grew below the pin (messages measured after
    // rendering, a code block laid out) fires scroll events too, before the ResizeObserver pins
    // again: those must not unpin the thread.
    const movedUp = el.scrollTop < lastTop.current - 1;
    lastTop.current = el.scrollTop;
    if (distance <= AT_BOTTOM_PX) atBottom.current = true;
    else if (movedUp) atBottom.current = false;
    if (atBottom.current) {
      seenKey.current = lastKey;
      setUnseen(0);
    }
    if (nearTop()) older.loadOlder();
  }, [lastKey, nearTop, older]);

  // Before paint, so a new message never flashes below the fold first. Older messages prepended
  // leave the newest one as it was: nothing to do then.
  useLayoutEffect(() => {
    if (atBottom.current) {
      pin();
      seenKey.current = lastKey;
      setUnseen(0);
    } else {
      setUnseen(countUnseen());
    }
  }, [lastKey, countUnseen, pin]);

  // A page that brought nothing new (or little) leaves the reader near the top: read the next.
  useEffect(() => {
    if (!older.loading && nearTop()) older.loadOlder();
  }, [older, nearTop]);

  useEffect(() => {
    const el = content.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) pin();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [pin]);

  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = true;
    seenKey.current = lastKey;
    setUnseen(0);
    // A long thread's sizes below are estimates until rendered: jump, and the pin corrects as they are measured.
    if (count > FULL_RENDER_MAX) el.scrollTop = el.scrollHeight;
    else el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  }, [lastKey, count]);

  const onFocusCapture = useCallback((event: FocusEvent<HTMLElement>) => {
    focused.current = focusedIndexOf(event);
  }, []);

  return {
    scroller,
    content,
    list,
    virtualizer,
    startOf: (start: number) => start - margin,
    onScroll,
    onFocusCapture,
    unseen,
    scrollToBottom,
  };
}
