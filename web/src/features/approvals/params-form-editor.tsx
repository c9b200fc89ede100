"use client";

import { useId } from "react";
import styles from "./approvals.module.css";
import type { TFormValues, TParamField } from "./params-form.ts";

/** Label text for a param key: "timeout_ms" -> "timeout ms". */
const labelOf = (key: string) => key.replaceAll("_", " ");

/**
 * "Edit & approve" as a form: one control per param of the action type (read from its zod schema),
 * multi-line text where the param is prose or a file, a list one item per line. Controlled: the
 * card keeps the values and validates them on approve.
 */
export function ParamsFormEditor({
  fields,
  values,
  onChange,
}: {
  fields: readonly TParamField[];
  values: TFormValues;
  onChange: (values: TFormValues) => void;
}) {
  const id = useId();
  const set = (key: string, value: string | boolean) => onChange({ ...values, [key]: value });
  return (
    <div className={styles.paramsForm} data-testid="params-form">
      {fields.map((f) => {
        const fieldId = `${id}-${f.key}`;
        const value = values[f.key];
        const text = typeof value === "string" ? value : "";
        const hint = f.kind === "lines" ? "one per line" : f.kind === "json" ? "JSON" : f.optional ? "optional" : "";
        return (
          <div key={f.key} className={styles.paramField} data-kind={f.kind}>
            <label htmlFor={fieldId}>
              {labelOf(f.key)}
              {hint ? <span className="muted"> · {hint}</span> : null}
            </label>
            {f.kind === "boolean" ? (
              <input id={fieldId} type="checkbox" checked={value === true} onChange={(e) => set(f.key, e.target.checked)} />
            ) : f.kind === "enum" ? (
              <select id={fieldId} value={text} onChange={(e) => set(f.key, e.target.value)}>
                {f.optional ? <option value="">(not set)</option> : null}
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : f.kind === "multiline" || f.kind === "lines" || f.kind === "json" ? (
              <textarea
                id={fieldId}
                value={text}
                spellCheck={f.kind === "multiline"}
                rows={f.kind === "multiline" ? Math.min(16, Math.max(4, text.split("\n").length + 1)) : 3}
                onChange={(e) => set(f.key, e.target.value)}
              />
            ) : (
              <input
                id={fieldId}
                type={f.kind === "number" ? "number" : "text"}
                value={text}
                onChange={(e) => set(f.key, e.target.value)}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}
