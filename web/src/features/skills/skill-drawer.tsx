"use client";

import { useEffect, useRef, useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useNow } from "../ui/use-now.ts";
import { CheckAgainButton } from "./check-again-button.tsx";
import { CopyButton } from "./copy-button.tsx";
import { describeRequirement, type TSkillView } from "./group-skills.ts";
import { SkillForm } from "./skill-form.tsx";
import { SkillStatus } from "./skill-status.tsx";
import styles from "./skills.module.css";
import type { TSkillActions } from "./use-skill-actions.ts";

/**
 * The detail drawer of one skill: its status and when which executor last checked it, each
 * requirement with its result and reason, the setup steps with a copy button each, the tools it
 * unlocks, "Check again", and Edit / Remove for a skill an operator added (built-in skills are
 * read-only). After an edit the executor checks the skill again; until then the verdict shown is
 * the one of the skill as it was, and the drawer says so. Escape or Close closes it.
 */
export function SkillDrawer({
  view,
  actions,
  canWrite,
  onClose,
}: {
  view: TSkillView;
  actions: TSkillActions;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { skill, verdict, status } = view;
  const now = useNow(30_000);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [editing, setEditing] = useState(false);
  const [edited, setEdited] = useState(false);
  // The verdict is older than the skill's last edit: it speaks of the requirements as they were.
  const stale = verdict !== null && Date.parse(skill.updated_at) > Date.parse(verdict.checked_at);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const resultOf = (index: number) => {
    const requirement = skill.requirements[index];
    const result = verdict?.results[index];
    return result && requirement && result.kind === requirement.kind && result.name === requirement.name ? result : null;
  };
  const remove = async () => {
    setRemoving(true);
    setError(null);
    try {
      await actions.remove(skill.id);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setRemoving(false);
    }
  };

  return (
    <aside
      className={styles.drawer}
      role="dialog"
      aria-modal="false"
      aria-labelledby={`skill-${skill.id}-title`}
      data-testid="skill-drawer"
    >
      <div className={styles.drawerHead}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <h2 className={styles.drawerTitle} id={`skill-${skill.id}-title`}>
            {skill.name}
          </h2>
          <div className={styles.itemHead}>
            <SkillStatus status={status} />
            <span className="muted" style={{ fontSize: 12 }}>
              {verdict ? `${formatAge("checked", verdict.checked_at, now)} by ${verdict.checked_by}` : "No executor has checked it yet"}
            </span>
          </div>
        </div>
        <button type="button" className="button small" onClick={onClose} ref={closeRef}>
          Close
        </button>
      </div>
      <div className={styles.drawerBody}>
        {skill.description ? <p style={{ margin: 0 }}>{skill.description}</p> : null}
        <div className={styles.drawerActions}>
          <CheckAgainButton className="button small primary" onCheck={() => actions.check(skill.id)} onError={setError} />
          {canWrite && !skill.builtin ? (
            <>
              <button type="button" className="button small" onClick={() => setEditing(true)} disabled={editing}>
                Edit skill
              </button>
              <button type="button" className="button small" onClick={remove} disabled={removing}>
                {removing ? "Removing…" : "Remove skill"}
              </button>
            </>
          ) : null}
          {skill.builtin ? <span className={styles.tag}>Built-in</span> : null}
        </div>
        {error ? (
          <p className={styles.error} role="alert">
            {error}
          </p>
        ) : null}
        {edited && !editing ? (
          <p className={stale ? styles.warn : styles.ok} role="status" data-testid="skill-edited">
            Saved.{" "}
            {stale
              ? "The executor checks the edited skill again as soon as it is connected; the results below are from before the edit."
              : "The results below are from the check of the edited skill."}
          </p>
        ) : !edited && stale ? (
          <p className={styles.warn} role="status">
            Edited since the last check: the executor checks it again as soon as it is connected.
          </p>
        ) : null}
        {editing ? (
          <SkillForm
            actions={actions}
            editing={skill}
            onDone={(saved) => {
              setEditing(false);
              if (saved) setEdited(true);
            }}
          />
        ) : null}

        <section className={styles.section}>
          <h3 className={styles.sectionTitle}>Requirements</h3>
          {skill.requirements.length === 0 ? (
            <p className={styles.empty}>None: this skill is always ready.</p>
          ) : (
            <ul className={styles.requirements}>
              {skill.requirements.map((requirement, index) => {
                const result = resultOf(index);
                const ok = result?.ok ?? null;
                return (
                  <li
                    key={index}
                    className={styles.requirement}
                    data-ok={ok === null ? undefined : String(ok)}
                    data-blocked={result?.blocked ? "true" : undefined}
                    data-testid="skill-requirement"
                  >
                    <span className={styles.mark}>
                      <span aria-hidden="true">{ok === null ? "·" : ok ? "✓" : "✗"}</span>
                      <span className="visually-hidden">{ok === null ? "Not checked" : ok ? "Met" : "Not met"}</span>
                    </span>
                    <span>{describeRequirement(requirement)}</span>
                    {requirement.description ? <span className={styles.reason}>{requirement.description}</span> : null}
                    {result ? <span className={styles.reason}>{result.reason}</span> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <section className={styles.section}>
          <h3 className={styles.sectionTitle}>Setup</h3>
          {skill.setup_steps.length === 0 ? (
            <p className={styles.empty}>Nothing to set up.</p>
          ) : (
            <ol className={styles.steps}>
              {skill.setup_steps.map((step, index) => (
                <li key={index}>
                  <div className={styles.step}>
                    <pre className={styles.code}>{step}</pre>
                    <CopyButton text={step} label={`step ${index + 1}`} />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section className={styles.section}>
          <h3 className={styles.sectionTitle}>Tools it unlocks</h3>
          {skill.tools.length === 0 ? (
            <p className={styles.empty}>No agent tool waits on this skill.</p>
          ) : (
            <>
              <div className={styles.tools}>
                {skill.tools.map((tool) => (
                  <span key={tool} className={styles.tag}>
                    {tool}
                  </span>
                ))}
              </div>
              <p className={styles.empty}>While this skill is not ready, runs do not offer these tools and tell the agent why.</p>
            </>
          )}
        </section>
      </div>
    </aside>
  );
}
