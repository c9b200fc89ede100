"use client";

import { type KeyboardEvent, useId, useState } from "react";
import styles from "./markdown.module.css";
import { Markdown } from "./markdown.tsx";

/** The editor's two views. */
type TMarkdownTab = "write" | "preview";

/**
 * A markdown text area with Write / Preview tabs (the preview renders exactly what readers will
 * see, with the same sanitising renderer). The textarea keeps its label; the tabs follow the WAI
 * tabs pattern (arrow keys switch).
 */
export function MarkdownEditor({
  label,
  value,
  onChange,
  disabled,
  rows = 14,
  maxLength,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
}) {
  const id = useId();
  const [tab, setTab] = useState<TMarkdownTab>("write");
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const next = tab === "write" ? "preview" : "write";
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };
  return (
    <div className={styles.editor}>
      <div className={styles.editorHead}>
        <label htmlFor={`${id}-text`} className={styles.editorLabel}>
          {label}
        </label>
        <div role="tablist" aria-label="Write or preview" className={styles.tabs} onKeyDown={onTabKey}>
          {(["write", "preview"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`${id}-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`${id}-panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              className={styles.tab}
              onClick={() => setTab(name)}
            >
              {name === "write" ? "Write" : "Preview"}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel" id={`${id}-panel-write`} aria-labelledby={`${id}-tab-write`} hidden={tab !== "write"}>
        <textarea
          id={`${id}-text`}
          className={styles.textarea}
          value={value}
          rows={rows}
          maxLength={maxLength}
          placeholder={placeholder}
          disabled={disabled}
          spellCheck
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-preview`}
        aria-labelledby={`${id}-tab-preview`}
        hidden={tab !== "preview"}
        className={styles.preview}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the preview panel takes focus so a keyboard user can scroll it
        tabIndex={0}
      >
        {value.trim() ? <Markdown source={value} /> : <p className="muted">Nothing to preview yet.</p>}
      </div>
    </div>
  );
}
