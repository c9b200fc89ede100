"use client";

import { type FormEvent, useEffect, useState } from "react";
import { executeWithFallback } from "../actions/execute-with-fallback.ts";
import { createFallbackDeps } from "../actions/fallback-deps.ts";
import { readSetting, type TLabsFeatures, ZLabsFeatures, ZTeamRoomSettings } from "../labs/labs-features.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./settings-view.module.css";
import switchStyles from "./switch.module.css";
import { updateProjectSetting } from "./update-project-setting.ts";

const LABS: { key: keyof TLabsFeatures; title: string; description: string }[] = [
  {
    key: "team_room",
    title: "Team Room",
    description: "One room with every agent: mention agents with @ to ask them; each agent's posts are rate-limited.",
  },
  { key: "dms", title: "Direct messages", description: "Private conversations with one agent at a time, several side by side." },
];

/** Settings → General: Labs (feature flags) and the Team Room posting limit. Viewers see them read-only. */
export function SettingsView() {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const settings = useLiveStore((s) => s.rows.project_settings);
  const flags = readSetting(settings, project.id, "labs_features", ZLabsFeatures);
  const teamRoom = readSetting(settings, project.id, "team_room", ZTeamRoomSettings);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [limit, setLimit] = useState(String(teamRoom.agent_posts_per_hour));
  useEffect(() => setLimit(String(teamRoom.agent_posts_per_hour)), [teamRoom.agent_posts_per_hour]);

  const save = async (key: string, value: Record<string, boolean | number>, what: string) => {
    setError(null);
    setSaved(null);
    try {
      const { result } = await executeWithFallback(
        { write: () => updateProjectSetting(client, project.id, key, value) },
        createFallbackDeps(store),
      );
      store.getState().applyRows("project_settings", [result]);
      setSaved(what);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const onLimit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(limit);
    if (!Number.isInteger(value) || value < 1 || value > 1000) {
      setError("The posting limit must be a whole number from 1 to 1000.");
      return;
    }
    void save("team_room", { ...teamRoom, agent_posts_per_hour: value }, "Posting limit saved.");
  };

  return (
    <>
      <div className={styles.group} id="labs">
        <h2 className={styles.groupTitle}>Labs</h2>
        <p className="muted">Features still taking shape. Turning one off hides it; nothing is deleted.</p>
        <ul className={styles.list}>
          {LABS.map((lab) => (
            <li key={lab.key} className={styles.row}>
              <div>
                <div className={styles.rowTitle} id={`lab-${lab.key}`}>
                  {lab.title}
                </div>
                <div className="muted">{lab.description}</div>
              </div>
              <button
                type="button"
                role="switch"
                aria-checked={flags[lab.key]}
                aria-labelledby={`lab-${lab.key}`}
                className={switchStyles.switch}
                disabled={!canWrite}
                onClick={() =>
                  save("labs_features", { ...flags, [lab.key]: !flags[lab.key] }, `${lab.title} turned ${flags[lab.key] ? "off" : "on"}.`)
                }
              >
                <span className={switchStyles.knob} aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      </div>
      <form className={styles.group} onSubmit={onLimit}>
        <h2 className={styles.groupTitle}>Team Room</h2>
        <label className={styles.inline}>
          <span>Posts per agent per hour</span>
          <input type="number" min={1} max={1000} value={limit} disabled={!canWrite} onChange={(e) => setLimit(e.target.value)} />
          <button type="submit" className="button small" disabled={!canWrite}>
            Save
          </button>
        </label>
        <p className="muted">An agent that reaches the limit gets its reply refused, so no agent floods the room.</p>
      </form>
      <div aria-live="polite" className={styles.status}>
        {error ? <p className={styles.error}>{error}</p> : saved ? <p className="muted">{saved}</p> : null}
      </div>
    </>
  );
}
