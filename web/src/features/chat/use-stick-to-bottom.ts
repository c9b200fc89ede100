"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Closer than this to the bottom counts as "at the bottom" (a line of slack for rounding and a half-read last line). */
const AT_BOTTOM_PX = 48;

/**
 * Keeps a scrolling message list pinned to its newest message while the reader is at the bottom,
 * and leaves it alone once they scroll up to read: new messages then count into `unseen` (for a
 * "new messages" pill) until they come back down or call `scrollToBottom`.
 *
 * Content also grows without a new message (a reply's code block laying out, the "working…"
 * line): a ResizeObserver on the content keeps the pin through that too.
 */
export function useStickToBottom(count: number) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const seen = useRef(count);
  const [unseen, setUnseen] = useState(0);

  const pin = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
    if (atBottom.current) setUnseen(0);
  }, []);

  // Before paint, so a new message never flashes below the fold first.
  useLayoutEffect(() => {
    if (atBottom.current) {
      pin();
      seen.current = count;
      setUnseen(0);
    } else {
      setUnseen(Math.max(0, count - seen.current));
    }
  }, [count, pin]);

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
    seen.current = count;
    setUnseen(0);
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  }, [count]);

  return { scroller, content, onScroll, unseen, scrollToBottom };
}
