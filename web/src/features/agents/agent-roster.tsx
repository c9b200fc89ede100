"use client";

import { useEffect, useState } from "react";
import { useProject } from "../projects/project-context.tsx";
import shell from "../ui/page.module.css";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { AgentStatusDot } from "./agent-status-dot.tsx";
import styles from "./agents.module.css";
import { ContextMeter } from "./context-meter.tsx";
import { useProjectAgents } from "./use-project-agents.ts";

/** "12 s ago", "5 min ago", or the date for older times. */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** The Agents page: every agent with its live status, current action, last seen, model and context meter. */
export function AgentRoster() {
  const { project } = useProject();
  const agents = useProjectAgents(project.id);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className={shell.page}>
      <h1 className={shell.pageTitle}>Agents</h1>
      <table className={styles.table} aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Status</th>
            <th scope="col">Current action</th>
            <th scope="col">Last seen</th>
            <th scope="col">Model</th>
            <th scope="col">Context</th>
          </tr>
        </thead>
        <tbody onKeyDown={onListKeyDown}>
          {agents.map(({ agent, status }, i) => (
            <tr key={agent.id} {...LIST_ITEM} tabIndex={i === 0 ? 0 : -1} data-testid="agent-row" data-agent={agent.agent_key}>
              <td>
                <div className={styles.name}>
                  {agent.display_name}
                  {!agent.enabled ? <span className={styles.tag}>disabled</span> : null}
                </div>
                <div className={styles.role}>{agent.role}</div>
              </td>
              <td>
                <span className={styles.status}>
                  <AgentStatusDot status={status?.status} />
                  <span data-testid="agent-status">{status?.status ?? "offline"}</span>
                </span>
              </td>
              <td className={styles.action}>{status?.current_action || <span className="muted">—</span>}</td>
              <td className={styles.nowrap}>{formatAgo(status?.last_seen_at ?? null, now)}</td>
              <td className={styles.mono}>{status?.last_model ?? agent.model}</td>
              <td>
                <ContextMeter usage={status?.context_usage ?? {}} maxContextTokens={agent.max_context_tokens} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {agents.length === 0 ? <p className="muted">No agents in this project yet.</p> : null}
    </section>
  );
}
