"use client";

import { useCallback, useMemo, useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useNow } from "../ui/use-now.ts";
import { groupSkills, SKILL_GROUPS } from "./group-skills.ts";
import { SkillDrawer } from "./skill-drawer.tsx";
import { SkillForm } from "./skill-form.tsx";
import { SkillStatus } from "./skill-status.tsx";
import styles from "./skills.module.css";
import { useSkillActions } from "./use-skill-actions.ts";

/**
 * The Skills page: what the project's agents can do once it is set up, grouped Ready / Needs setup
 * / Blocked (and Not checked yet), live from skills and skills_mirror. A skill opens a drawer with
 * each requirement's result, copyable setup steps and "Check again"; operators add skills of their own.
 */
export function SkillsView() {
  const { project, canWrite } = useProject();
  const actions = useSkillActions();
  const store = useLiveStoreApi();
  const skills = useLiveStore((s) => s.rows.skills);
  const verdicts = useLiveStore((s) => s.rows.skills_mirror);
  const mode = useLiveStore((s) => s.connection.mode);
  const now = useNow(30_000);
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const groups = useMemo(() => groupSkills(Object.values(skills), verdicts, project.id), [skills, verdicts, project.id]);
  const open = useMemo(
    () =>
      openId
        ? (Object.values(groups)
            .flat()
            .find((view) => view.skill.id === openId) ?? null)
        : null,
    [groups, openId],
  );
  const total = Object.values(groups).reduce((sum, list) => sum + list.length, 0);
  const close = useCallback(() => setOpenId(null), []);

  return (
    <div className={styles.layout}>
      <section className={styles.page}>
        <div className={styles.header}>
          <h1 className={styles.title}>Skills</h1>
          <span className={styles.count} data-testid="skills-ready-count">
            {groups.ready.length} of {total} ready
          </span>
          <span className={styles.spacer} />
          {canWrite && !adding ? (
            <button type="button" className="button primary" onClick={() => setAdding(true)}>
              Add skill
            </button>
          ) : null}
        </div>
        <p className={`muted ${styles.intro}`}>
          What agents can do once something is set up on the executor's machine or in the project. The executor checks every requirement
          when it starts, every few minutes and when you press Check again; a tool whose skill is not ready is not offered to agents, and
          they are told why.
        </p>
        {mode === "backup" || mode === "offline" ? (
          <p className={styles.warn}>
            The executor is not reachable ({mode === "backup" ? "Backup" : "Offline"}): these are its last results; Check again needs it.
          </p>
        ) : null}
        {notice ? (
          <p className={styles.ok} aria-live="polite">
            {notice}
          </p>
        ) : null}
        {adding ? (
          <SkillForm
            actions={actions}
            onDone={(saved) => {
              setAdding(false);
              if (!saved) return;
              setOpenId(saved.id);
              if (store.getState().connection.mode === "live") {
                setNotice(`Added ${saved.name}.`);
                actions.check(saved.id).catch(() => setNotice(`Added ${saved.name}; the executor checks it at its next round.`));
              } else {
                setNotice(`Added ${saved.name}; the executor checks it when it is back.`);
              }
            }}
          />
        ) : null}

        {SKILL_GROUPS.filter((group) => group.status !== "unchecked" || groups.unchecked.length > 0).map((group) => {
          const list = groups[group.status];
          return (
            <section
              key={group.status}
              className={styles.group}
              aria-labelledby={`skills-${group.status}`}
              data-testid={`skills-group-${group.status}`}
            >
              <h2 className={styles.groupTitle} id={`skills-${group.status}`}>
                {group.label} <span className={styles.groupCount}>{list.length}</span>
              </h2>
              {list.length === 0 ? (
                <p className={styles.empty}>{group.status === "ready" ? "No skill is ready yet." : "None."}</p>
              ) : (
                <ul className={styles.list}>
                  {list.map(({ skill, verdict, status }) => (
                    <li key={skill.id}>
                      <button
                        type="button"
                        className={styles.item}
                        aria-expanded={openId === skill.id}
                        onClick={() => setOpenId(openId === skill.id ? null : skill.id)}
                        data-testid="skill-item"
                      >
                        <span className={styles.itemHead}>
                          <span className={styles.itemName}>{skill.name}</span>
                          <span className={styles.spacer} />
                          {skill.builtin ? null : <span className={styles.tag}>Custom</span>}
                          <SkillStatus status={status} />
                        </span>
                        <span className={styles.itemMeta}>
                          {verdict && verdict.reasons.length > 0
                            ? verdict.reasons[0]
                            : skill.description || `${skill.requirements.length} requirement${skill.requirements.length === 1 ? "" : "s"}`}
                        </span>
                        <span className={styles.itemMeta} style={{ color: "var(--text-3)" }}>
                          {verdict ? formatAge("checked", verdict.checked_at, now) : "not checked yet"}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </section>
      {open ? <SkillDrawer key={open.skill.id} view={open} actions={actions} canWrite={canWrite} onClose={close} /> : null}
    </div>
  );
}
