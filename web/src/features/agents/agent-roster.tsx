"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type KeyboardEvent, useState } from "react";
import { selectLoaded } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { formatTime, type TFormatClock } from "../ui/format-time.ts";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { useNow } from "../ui/use-now.ts";
import { AgentActions } from "./agent-actions.tsx";
import { AgentEditor } from "./agent-editor.tsx";
import { AgentStatusDot } from "./agent-status-dot.tsx";
import styles from "./agents.module.css";
import { ContextMeter } from "./context-meter.tsx";
import { describeEffectiveSetting } from "./describe-effective-setting.ts";
import { effectiveSettingsOf } from "./effective-settings-of.ts";
import { ProvisionRequests } from "./provision-requests.tsx";
import { useAgentSettingsContext } from "./use-agent-settings-context.ts";
import { useProjectAgents } from "./use-project-agents.ts";

/** "12 s ago", "5 min ago", or the date for older times. */
export function formatAgo(iso: string | null, now: number, clock: TFormatClock): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return formatTime(iso, "date", clock);
}

/**
 * The Agents page: every agent with its live status, current action, last seen, effective model
 * and context meter, each linking to its page; operators add agents and enable / disable them,
 * owners delete them; changes that wait for the executor (or that it refused) are listed on top.
 */
export function AgentRoster() {
  const { project, canWrite, role } = useProject();
  const router = useRouter();
  const agents = useProjectAgents(project.id);
  // Until the first read of the project's rows, an empty roster means "not read yet", not "none".
  const loaded = useLiveStore(selectLoaded);
  const { defaults, connections } = useAgentSettingsContext(project.id);
  const now = useNow(5000);
  const clock = useClock();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const pageOf = (agentKey: string) => `/p/${project.slug}/agents/${agentKey}`;

  const openOnEnter = (event: KeyboardEvent<HTMLTableRowElement>, agentKey: string) => {
    if (event.key === "Enter" && event.target === event.currentTarget) router.push(pageOf(agentKey));
  };

  return (
    <section className={styles.page}>
      <div className={styles.header}>
        <h1 className={styles.title}>Agents</h1>
        <span className={styles.count}>{agents.length}</span>
        <span className={styles.spacer} />
        {canWrite && !creating ? (
          <button
            type="button"
            className="button primary small"
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
          >
            New agent
          </button>
        ) : null}
      </div>
      {role === "viewer" ? <p className="muted">You are a viewer in this project: agents are read-only.</p> : null}
      {creating ? (
        <div className={styles.panel}>
          <h2 className={styles.panelTitle}>New agent</h2>
          <AgentEditor
            agent={null}
            onCancel={() => setCreating(false)}
            onSaved={(outcome) => {
              setCreating(false);
              setNotice(outcome.state === "applied" ? `Created @${outcome.request.agent_key}.` : null);
            }}
          />
        </div>
      ) : null}
      {notice ? (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      ) : null}
      <ProvisionRequests />
      <div className={styles.tableWrap}>
        <table className={styles.table} aria-label="Agents">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              <th scope="col">Current action</th>
              <th scope="col" className={styles.optional}>
                Last seen
              </th>
              <th scope="col">Model</th>
              <th scope="col" className={styles.optional}>
                Context
              </th>
              {canWrite ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody onKeyDown={onListKeyDown}>
            {agents.map(({ agent, status }, i) => {
              const resolved = effectiveSettingsOf(agent, defaults);
              const effective = resolved.values;
              return (
                <tr
                  key={agent.id}
                  {...LIST_ITEM}
                  tabIndex={i === 0 ? 0 : -1}
                  data-testid="agent-row"
                  data-agent={agent.agent_key}
                  data-enabled={agent.enabled ? undefined : "false"}
                  onKeyDown={(event) => openOnEnter(event, agent.agent_key)}
                >
                  <td>
                    <div className={styles.name}>
                      <Link href={pageOf(agent.agent_key)} className={styles.nameLink}>
                        {agent.display_name}
                      </Link>
                      <span className={styles.key}>@{agent.agent_key}</span>
                      {!agent.enabled ? <span className={styles.tag}>disabled</span> : null}
                    </div>
                    {agent.role ? <div className={styles.role}>{agent.role}</div> : null}
                  </td>
                  <td>
                    <span className={styles.status}>
                      <AgentStatusDot status={status?.status} decorative />
                      <span data-testid="agent-status">{status?.status ?? "offline"}</span>
                    </span>
                  </td>
                  <td className={styles.action}>{status?.current_action || <span className="muted">—</span>}</td>
                  <td className={`${styles.nowrap} ${styles.optional}`}>{formatAgo(status?.last_seen_at ?? null, now, clock)}</td>
                  <td className={styles.mono}>{status?.last_model ?? describeEffectiveSetting(resolved, "model", connections).value}</td>
                  <td className={styles.optional}>
                    <ContextMeter usage={status?.context_usage ?? {}} maxContextTokens={effective.max_context_tokens} />
                  </td>
                  {canWrite ? (
                    <td className={styles.actionsCell}>
                      <AgentActions agent={agent} />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {agents.length === 0 && !loaded ? (
        <p className="muted">Reading the roster…</p>
      ) : agents.length === 0 ? (
        <p className="muted">No agents in this project yet.{canWrite ? " Add one with New agent." : ""}</p>
      ) : (
        <p className={styles.hintLine}>↑↓ move between agents · Enter opens one</p>
      )}
    </section>
  );
}
