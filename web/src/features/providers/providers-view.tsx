"use client";

import { ZAgentDefaults } from "@mission-control/shared/schemas";
import { useMemo, useState } from "react";
import { readSetting } from "../labs/labs-features.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import settingsStyles from "../settings/settings-view.module.css";
import { ProviderConnectionCard } from "./provider-connection-card.tsx";
import { ProviderConnectionForm } from "./provider-connection-form.tsx";
import styles from "./providers.module.css";
import { useProviderActions } from "./use-provider-actions.ts";

/**
 * Settings → Providers: the project's provider connections (OpenAI-compatible servers, Anthropic,
 * CLI agents). Operators add and edit them and set keys; owners delete them; viewers read.
 */
export function ProvidersView() {
  const { project, canWrite, role } = useProject();
  const actions = useProviderActions();
  const rows = useLiveStore((s) => s.rows.provider_connections);
  const agents = useLiveStore((s) => s.rows.agents);
  const settings = useLiveStore((s) => s.rows.project_settings);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mode = useLiveStore((s) => s.connection.mode);

  const connections = useMemo(
    () =>
      Object.values(rows)
        .filter((row) => row.project_id === project.id)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [rows, project.id],
  );
  const usedBy = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const agent of Object.values(agents)) {
      if (agent.project_id !== project.id || !agent.provider_connection_id) continue;
      map.set(agent.provider_connection_id, [...(map.get(agent.provider_connection_id) ?? []), agent.agent_key]);
    }
    return map;
  }, [agents, project.id]);
  const defaults = readSetting(settings, project.id, "agent_defaults", ZAgentDefaults);
  const defaultsConnection = defaults.provider === "connection" ? defaults.provider_connection_id : null;

  return (
    <div className={styles.view}>
      <div className={`${settingsStyles.group} ${settingsStyles.wideGroup}`}>
        <div className={styles.sectionHead}>
          <div>
            <h2 className={settingsStyles.groupTitle}>Provider connections</h2>
            <p className="muted">
              Where agents' models run. Keys go to the executor once and are stored encrypted; this page only ever shows their last four
              characters. The executor's environment (OpenAI-compatible and Anthropic variables) stays available to every project as a
              fallback.
            </p>
          </div>
          {canWrite && editing !== "new" ? (
            <button type="button" className="button primary" onClick={() => setEditing("new")}>
              Add connection
            </button>
          ) : null}
        </div>
        {(mode === "backup" || mode === "offline") && canWrite && connections.length > 0 ? (
          <p className={styles.warn}>
            The executor is not reachable ({mode === "backup" ? "Backup" : "Offline"}): Set key and Test connection need it; adding and
            editing connections still works.
          </p>
        ) : null}
        {notice ? (
          <p className={styles.ok} aria-live="polite">
            {notice}
          </p>
        ) : null}
        {editing === "new" ? (
          <ProviderConnectionForm
            actions={actions}
            onDone={(saved) => {
              setEditing(null);
              setNotice(saved ? `Saved ${saved.name}.` : null);
            }}
          />
        ) : null}
        {connections.length === 0 && editing !== "new" ? (
          <p className={styles.empty}>
            No connections yet. Agents run on the built-in offline model or the executor's environment until you add one
            {canWrite ? "." : " (an operator can add one)."}
          </p>
        ) : null}
        <div className={styles.cards}>
          {connections.map((connection) =>
            editing === connection.id ? (
              <ProviderConnectionForm
                key={connection.id}
                connection={connection}
                actions={actions}
                onDone={(saved) => {
                  setEditing(null);
                  setNotice(saved ? `Saved ${saved.name}.` : null);
                }}
              />
            ) : (
              <ProviderConnectionCard
                key={connection.id}
                connection={connection}
                usedBy={usedBy.get(connection.id) ?? []}
                defaultsUseIt={defaultsConnection === connection.id}
                canWrite={canWrite}
                canDelete={role === "owner"}
                actions={actions}
                onEdit={() => {
                  setNotice(null);
                  setEditing(connection.id);
                }}
              />
            ),
          )}
        </div>
      </div>
    </div>
  );
}
