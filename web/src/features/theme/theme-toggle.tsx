"use client";

import { useId } from "react";
import { setThemePreference, THEME_PREFERENCES, type TThemePreference } from "./theme-preference.ts";
import styles from "./theme-toggle.module.css";
import { useThemePreference } from "./use-theme-preference.ts";

const LABELS: Record<TThemePreference, string> = { system: "System", dark: "Dark", light: "Light" };

/**
 * System / Dark / Light as one radio group (arrow keys move between them, as any radio group).
 * The choice is remembered in this browser and applied at once.
 */
export function ThemeToggle({ className }: { className?: string }) {
  const preference = useThemePreference();
  const name = useId();
  return (
    <fieldset className={`${styles.toggle} ${className ?? ""}`} data-testid="theme-toggle">
      <legend className="visually-hidden">Theme</legend>
      {THEME_PREFERENCES.map((value) => (
        <label key={value} className={styles.option} data-checked={preference === value}>
          <input
            type="radio"
            className="visually-hidden"
            name={name}
            value={value}
            checked={preference === value}
            onChange={() => setThemePreference(value)}
          />
          {LABELS[value]}
        </label>
      ))}
    </fieldset>
  );
}
