"use client";

import { type ReactNode, useId } from "react";
import styles from "./providers.module.css";

/** What a FormField's control spreads onto itself: its id (the label's target) and what describes it. */
export interface TFieldControl {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/**
 * A labelled form field: the label names the control (Playwright and screen readers find it by
 * its label text), the field's problem and a hint sit below it and describe it. `children`
 * renders the control with the props to spread onto it.
 */
export function FormField(props: {
  label: string;
  issue?: string;
  hint?: ReactNode;
  wide?: boolean;
  children: (control: TFieldControl) => ReactNode;
}) {
  const id = useId();
  const described = [props.issue ? `${id}-issue` : null, props.hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={props.wide ? `${styles.field} ${styles.wide}` : styles.field}>
      <label htmlFor={id} className={styles.fieldLabel}>
        {props.label}
      </label>
      {props.children({ id, "aria-describedby": described, ...(props.issue ? { "aria-invalid": true as const } : {}) })}
      {props.issue ? (
        <span id={`${id}-issue`} className={styles.issue}>
          {props.label} {props.issue}
        </span>
      ) : null}
      {props.hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
