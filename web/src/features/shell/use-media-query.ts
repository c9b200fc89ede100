"use client";

import { useSyncExternalStore } from "react";

/** Below this width the sidebar is a drawer behind the top bar's menu button (as in app-shell.module.css). */
export const NARROW_SHELL_QUERY = "(max-width: 760px)";

/** Whether a media query matches now, following changes (false on the server). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = window.matchMedia(query);
      media.addEventListener("change", onChange);
      return () => media.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
