"use client";

import styles from "./command-palette.module.css";

/** "⌘K" on a Mac, "Ctrl K" elsewhere: the shortcut as the operator's keyboard labels it. */
function shortcutLabel(): string {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘K" : "Ctrl K";
}

/**
 * The top bar's way into the command palette (the same as Ctrl/⌘-K): a search field look-alike, a
 * magnifier on a phone. Its name is its words ("Search or jump to…"), kept for screen readers on a phone.
 */
export function PaletteButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button
      type="button"
      className={styles.trigger}
      onClick={onOpen}
      aria-keyshortcuts="Control+K Meta+K"
      aria-haspopup="dialog"
      data-testid="palette-button"
    >
      <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="7" cy="7" r="4.8" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.6 10.6 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <span className={styles.triggerText}>Search or jump to…</span>
      {/* The shortcut is in aria-keyshortcuts; read aloud it would only lengthen the name. */}
      <span className={styles.triggerKey} aria-hidden="true">
        {shortcutLabel()}
      </span>
    </button>
  );
}
