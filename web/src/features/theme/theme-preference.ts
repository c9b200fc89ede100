/** What the operator chose: follow the system setting, or force one theme. */
export type TThemePreference = "system" | "dark" | "light";

/** The theme on screen (what `<html data-theme>` says). */
export type TTheme = "dark" | "light";

/** The toggle's choices, in the order it shows them. */
export const THEME_PREFERENCES: readonly TThemePreference[] = ["system", "dark", "light"];

/** Where the choice is remembered, per browser (localStorage). */
export const THEME_STORAGE_KEY = "mc-theme";

/** Dispatched on window whenever this tab changes the choice, so every toggle on screen follows. */
const CHANGE_EVENT = "mc-theme-change";

/**
 * Reads the stored choice and sets `<html data-theme data-theme-preference>` and `color-scheme`.
 * Self-contained on purpose (no outside names, no helpers): the root layout inlines its source as
 * the first script of every page, so the theme is on <html> before the body is parsed (no flash).
 */
export function applyStoredTheme(storageKey: string): void {
  let preference = "system";
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === "dark" || stored === "light") preference = stored;
  } catch {
    // Storage can be off (privacy settings): follow the system.
  }
  const theme = preference === "system" ? (window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark") : preference;
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.dataset.themePreference = preference;
  root.style.colorScheme = theme;
}

/** The inline script of the root layout: applies the theme now and again when the system setting or another tab changes it. */
export function themeBootScript(): string {
  const apply = `(${applyStoredTheme.toString()})(${JSON.stringify(THEME_STORAGE_KEY)})`;
  return `${apply};try{window.matchMedia("(prefers-color-scheme: light)").addEventListener("change",function(){${apply}});window.addEventListener("storage",function(e){if(e.key===${JSON.stringify(THEME_STORAGE_KEY)}){${apply}}})}catch(e){}`;
}

/** The stored choice ("system" when none, or on the server). */
export function readThemePreference(): TThemePreference {
  if (typeof window === "undefined") return "system";
  const value = document.documentElement.dataset.themePreference;
  return value === "dark" || value === "light" ? value : "system";
}

/** The theme on screen now. */
export function readTheme(): TTheme {
  if (typeof window === "undefined") return "dark";
  return document.documentElement.dataset.theme === "light" ? "light" : "dark";
}

/** Remembers the choice and applies it at once (this page keeps it even when storage is off). */
export function setThemePreference(preference: TThemePreference): void {
  try {
    if (preference === "system") window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Storage off (privacy settings): applied below for this page, not remembered.
  }
  const theme: TTheme =
    preference === "system" ? (window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark") : preference;
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.dataset.themePreference = preference;
  root.style.colorScheme = theme;
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** The next choice when cycling (the palette's "Toggle theme"): to the opposite of what is on screen. */
export function oppositeTheme(): TTheme {
  return readTheme() === "dark" ? "light" : "dark";
}

/** Calls back whenever the theme on screen may have changed (this tab, another tab, the system setting). */
export function subscribeTheme(onChange: () => void): () => void {
  const media = window.matchMedia("(prefers-color-scheme: light)");
  // The boot script's own listeners run first (registered earlier), so <html> is up to date here.
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener("storage", onChange);
  media.addEventListener("change", onChange);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener("storage", onChange);
    media.removeEventListener("change", onChange);
  };
}
