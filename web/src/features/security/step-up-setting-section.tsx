"use client";

import { useState } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import switchStyles from "../settings/switch.module.css";
import { updateProjectSetting } from "../settings/update-project-setting.ts";
import { readApprovalSettings } from "./read-approval-settings.ts";
import styles from "./security.module.css";

/**
 * Settings → Security, this project: whether approving a high-risk action needs a second factor
 * (project_settings `approvals`; the database lets only owners change it and enforces it in
 * resolve_action_proposal).
 */
export function StepUpSettingSection() {
  const { project, client, role } = useProject();
  const store = useLiveStoreApi();
  const settings = useLiveStore((s) => s.rows.project_settings);
  const { require_second_factor_for_high_risk: on } = readApprovalSettings(settings, project.id);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const isOwner = role === "owner";

  const toggle = async () => {
    setError(null);
    setSaved(null);
    try {
      const { result } = await executeWithFallback(
        { write: () => updateProjectSetting(client, project.id, "approvals", { require_second_factor_for_high_risk: !on }) },
        createFallbackDeps(store),
      );
      store.getState().applyRows("project_settings", [result]);
      setSaved(!on ? "High-risk approvals now ask for a code." : "High-risk approvals no longer ask for a code.");
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setError(/owners/i.test(message) ? "Only owners can change this: ask an owner of the project." : message);
    }
  };

  return (
    <section className={styles.group} aria-labelledby="security-project">
      <h2 className={styles.groupTitle} id="security-project">
        Approvals in {project.name}
      </h2>
      <div className={styles.row}>
        <div>
          <div className={styles.rowTitle} id="step-up-switch">
            Approving high-risk actions requires a second factor
          </div>
          <div className="muted">
            Before approving a high-risk action, operators and owners enter a code from their authenticator app (once per session). Low and
            medium risk and rejections are not affected.
          </div>
          {!isOwner ? <div className="muted">Only owners can change this.</div> : null}
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-labelledby="step-up-switch"
          className={switchStyles.switch}
          disabled={!isOwner}
          onClick={() => void toggle()}
        >
          <span className={switchStyles.knob} aria-hidden="true" />
        </button>
      </div>
      <div aria-live="polite" className={styles.status}>
        {error ? (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        ) : null}
        {saved ? <p className={styles.ok}>{saved}</p> : null}
      </div>
    </section>
  );
}
