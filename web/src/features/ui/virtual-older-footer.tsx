"use client";

import { useEffect, useRef } from "react";
import type { TOlderRows } from "../live/use-older-rows.ts";

/** How far below the screen the footer may be when the next page starts loading (a screen or so ahead). */
const LOAD_AHEAD_PX = 800;

/**
 * The end of a long list: it asks for the next older page as it comes near the screen (and again
 * after each page, while it is still near), says a page is loading, offers a retry after a failed
 * read, and says when the oldest row is shown. `root` is the scrolling ancestor (null: the window).
 */
export function VirtualOlderFooter({
  older,
  root,
  endText,
  className,
}: {
  older: TOlderRows;
  root: HTMLElement | null;
  endText: string;
  className?: string;
}) {
  const ref = useRef<HTMLParagraphElement>(null);
  const { loadOlder, loading, exhausted, error } = older;

  useEffect(() => {
    const el = ref.current;
    if (!el || loading || exhausted || error || typeof IntersectionObserver === "undefined") return;
    // A new observer after every page: it reports at once whether the footer is still near the screen.
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadOlder(), {
      root,
      rootMargin: `0px 0px ${LOAD_AHEAD_PX}px 0px`,
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [root, loading, exhausted, error, loadOlder]);

  return (
    <p ref={ref} className={className ?? "muted"} role="status" data-testid="older-rows-footer" data-state={footerState(older)}>
      {error ? (
        <>
          Could not load older rows: {error}{" "}
          <button type="button" className="button small" onClick={loadOlder}>
            Retry
          </button>
        </>
      ) : exhausted ? (
        endText
      ) : loading ? (
        "Loading older rows…"
      ) : (
        "Older rows load as you scroll."
      )}
    </p>
  );
}

/** The footer's state, for specs and the bench to wait on. */
function footerState(older: TOlderRows): "error" | "end" | "loading" | "more" {
  if (older.error) return "error";
  if (older.exhausted) return "end";
  return older.loading ? "loading" : "more";
}
