"use client";

import styles from "./app-shell.module.css";

/** The phone top bar's menu button (three lines): opens the sections drawer. Hidden on wide screens. */
export function MenuButton({ open, onOpen }: { open: boolean; onOpen: () => void }) {
  return (
    <button
      type="button"
      className={styles.menuButton}
      onClick={onOpen}
      aria-label="Open the menu"
      aria-haspopup="dialog"
      aria-expanded={open}
      data-testid="menu-button"
    >
      <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
        <path d="M2 4.5h14M2 9h14M2 13.5h14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
    </button>
  );
}
