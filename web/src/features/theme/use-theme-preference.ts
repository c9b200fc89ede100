"use client";

import { useSyncExternalStore } from "react";
import { readTheme, readThemePreference, subscribeTheme, type TTheme, type TThemePreference } from "./theme-preference.ts";

/** The operator's theme choice, kept in step with every toggle, other tabs and the system setting. */
export function useThemePreference(): TThemePreference {
  return useSyncExternalStore(subscribeTheme, readThemePreference, () => "system");
}

/** The theme on screen now. */
export function useTheme(): TTheme {
  return useSyncExternalStore(subscribeTheme, readTheme, () => "dark");
}
