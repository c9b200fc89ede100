"use client";

import { useEffect, useRef } from "react";

/** Ctrl-K or ⌘-K anywhere on the page (in a text field too, as in most apps): calls `onPress` instead of the browser's own binding. */
export function usePaletteHotkey(onPress: () => void): void {
  const onPressRef = useRef(onPress);
  onPressRef.current = onPress;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== "k" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      event.preventDefault();
      onPressRef.current();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
