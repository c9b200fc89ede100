"use client";

import { ZCapability } from "@mission-control/shared/schemas";
import { type KeyboardEvent, useState } from "react";
import styles from "./agent-editor.module.css";

/**
 * A tag input for capabilities: type a tag and press Enter or comma (or leave the field) to add
 * it; Backspace in the empty field removes the last one; each tag has a remove button. A tag the
 * shared schema refuses stays in the field with the reason.
 */
export function CapabilitiesInput({
  id,
  value,
  onChange,
  disabled,
  describedBy,
  invalid,
}: {
  id: string;
  value: readonly string[];
  onChange: (tags: string[]) => void;
  disabled?: boolean;
  describedBy?: string;
  invalid?: boolean;
}) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const add = (raw: string): boolean => {
    const tags = raw
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    const next = [...value];
    for (const tag of tags) {
      const parsed = ZCapability.safeParse(tag);
      if (!parsed.success) {
        setProblem(`"${tag}" is not ${parsed.error.issues[0]?.message ?? "a capability tag"}`);
        return false;
      }
      if (!next.includes(parsed.data)) next.push(parsed.data);
    }
    setProblem(null);
    if (next.length !== value.length) onChange(next);
    setText("");
    return true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if ((event.key === "Enter" || event.key === ",") && text.trim()) {
      event.preventDefault();
      add(text);
    } else if (event.key === "Enter") {
      // An empty field: Enter must not submit the whole profile by accident.
      event.preventDefault();
    } else if (event.key === "Backspace" && text === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className={styles.tags} data-invalid={invalid || problem ? "" : undefined}>
      {value.length > 0 ? (
        <ul className={styles.tagList} aria-label="Tags added">
          {value.map((tag) => (
            <li key={tag} className={styles.tag}>
              {tag}
              {disabled ? null : (
                <button
                  type="button"
                  className={styles.tagRemove}
                  aria-label={`Remove ${tag}`}
                  onClick={() => onChange(value.filter((t) => t !== tag))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        className={styles.tagInput}
        value={text}
        disabled={disabled}
        placeholder={value.length === 0 ? "sql, react, research…" : "Add a tag"}
        aria-describedby={[describedBy, problem ? `${id}-problem` : null].filter(Boolean).join(" ") || undefined}
        aria-invalid={invalid || problem ? true : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (text.trim()) add(text);
        }}
      />
      {problem ? (
        <span id={`${id}-problem`} className={styles.issue} role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
