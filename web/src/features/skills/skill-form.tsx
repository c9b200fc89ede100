"use client";

import type { TSkill } from "@mission-control/shared/rows";
import { AGENT_TOOLS, SKILL_REQUIREMENT_KINDS, type TSkillRequirementKind, ZSkillInput } from "@mission-control/shared/schemas";
import { type FormEvent, useState } from "react";
import styles from "./skills.module.css";
import type { TSkillActions } from "./use-skill-actions.ts";

const KIND_LABELS: Record<TSkillRequirementKind, string> = {
  env: "Environment variable",
  program: "Program on PATH",
  file: "File in workspace",
  connection: "Provider connection",
  setting: "Project setting",
};

const NAME_HINTS: Record<TSkillRequirementKind, string> = {
  env: "e.g. DEPLOY_TOKEN",
  program: "e.g. docker",
  file: "e.g. deploy/config.yml",
  connection: "openai_compatible or anthropic",
  setting: "e.g. deploy.target",
};

/** A requirement being edited; `value` (e.g. a program's "allowlisted") is kept as it was, not shown. */
type TDraftRequirement = { kind: TSkillRequirementKind; name: string; description: string; value?: string };

/**
 * Adds a skill of the operator's own, or edits one (`editing`; built-in skills are never offered
 * here): name, description, requirements (kind, what, why), setup steps (one command per line) and
 * the agent tools it unlocks. Validated with ZSkillInput; the database has the last word (RLS: not
 * built-in, owners and operators; a new key must be new).
 */
export function SkillForm({
  actions,
  editing,
  onDone,
}: {
  actions: TSkillActions;
  editing?: TSkill;
  onDone: (saved: TSkill | null) => void;
}) {
  const [name, setName] = useState(editing?.name ?? "");
  const [description, setDescription] = useState(editing?.description ?? "");
  const [requirements, setRequirements] = useState<TDraftRequirement[]>(
    editing
      ? editing.requirements.map((item) => ({
          kind: item.kind,
          name: item.name,
          description: item.description ?? "",
          ...(item.value !== undefined ? { value: item.value } : {}),
        }))
      : [{ kind: "env", name: "", description: "" }],
  );
  const [steps, setSteps] = useState(editing?.setup_steps.join("\n") ?? "");
  const [tools, setTools] = useState<string[]>(editing ? [...editing.tools] : []);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const update = (index: number, patch: Partial<TDraftRequirement>) =>
    setRequirements((list) => list.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZSkillInput.safeParse({
      name,
      description,
      requirements: requirements
        .filter((item) => item.name.trim() !== "")
        .map((item) => ({
          kind: item.kind,
          name: item.name.trim(),
          ...(item.value !== undefined ? { value: item.value } : {}),
          ...(item.description.trim() ? { description: item.description.trim() } : {}),
        })),
      setup_steps: steps
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
      tools,
    });
    if (!parsed.success) {
      setError(parsed.error.issues.map((issue) => issue.message).join("; "));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      if (editing) {
        const { key: _key, ...edit } = parsed.data;
        onDone(await actions.edit(editing.id, edit));
      } else onDone(await actions.add(parsed.data));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setSaving(false);
    }
  };

  return (
    <form
      className={editing ? `${styles.form} ${styles.compact}` : styles.form}
      onSubmit={submit}
      aria-label={editing ? `Edit ${editing.name}` : "Add a skill"}
    >
      <label className={styles.field}>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required placeholder="e.g. Deploy to staging" />
      </label>
      <label className={styles.field}>
        Description
        <input
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={2000}
          placeholder="What agents can do with it"
        />
      </label>
      <fieldset className={styles.field} style={{ border: "none", padding: 0, margin: 0 }}>
        <legend style={{ padding: 0, marginBottom: 4 }}>Requirements</legend>
        {requirements.map((item, index) => (
          <div className={styles.requirementRow} key={index}>
            <select
              aria-label={`Requirement ${index + 1} kind`}
              value={item.kind}
              onChange={(e) => update(index, { kind: e.target.value as TSkillRequirementKind })}
            >
              {SKILL_REQUIREMENT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </option>
              ))}
            </select>
            <input
              aria-label={`Requirement ${index + 1} name`}
              value={item.name}
              onChange={(e) => update(index, { name: e.target.value })}
              placeholder={NAME_HINTS[item.kind]}
              maxLength={300}
            />
            <input
              aria-label={`Requirement ${index + 1} description`}
              value={item.description}
              onChange={(e) => update(index, { description: e.target.value })}
              placeholder="Why (optional)"
              maxLength={500}
            />
            <button
              type="button"
              className="button small"
              aria-label={`Remove requirement ${index + 1}`}
              onClick={() => setRequirements((list) => list.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="button small"
            onClick={() => setRequirements((list) => [...list, { kind: "env", name: "", description: "" }])}
            disabled={requirements.length >= 20}
          >
            Add requirement
          </button>
        </div>
      </fieldset>
      <label className={styles.field}>
        Setup steps (one command per line)
        <textarea
          value={steps}
          onChange={(e) => setSteps(e.target.value)}
          rows={3}
          placeholder={"export DEPLOY_TOKEN=…\nsudo apt-get install -y docker.io"}
        />
      </label>
      <fieldset className={styles.field} style={{ border: "none", padding: 0, margin: 0 }}>
        <legend style={{ padding: 0, marginBottom: 4 }}>Tools it unlocks (withheld from runs while it is not ready)</legend>
        <div className={styles.toolChoices}>
          {AGENT_TOOLS.map((tool) => (
            <label key={tool}>
              <input
                type="checkbox"
                checked={tools.includes(tool)}
                onChange={(e) => setTools((list) => (e.target.checked ? [...list, tool] : list.filter((t) => t !== tool)))}
              />
              {tool}
            </label>
          ))}
        </div>
      </fieldset>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.formActions}>
        <button type="submit" className="button primary" disabled={saving}>
          {editing ? (saving ? "Saving…" : "Save changes") : saving ? "Adding…" : "Add skill"}
        </button>
        <button type="button" className="button" onClick={() => onDone(null)} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
