"use client";

import { type CSSProperties, useEffect, useState } from "react";
import { AgentStatusDot } from "../agents/agent-status-dot.tsx";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { ChatThread } from "../chat/chat-thread.tsx";
import { LabsGate } from "../labs/labs-gate.tsx";
import { useProject } from "../projects/project-context.tsx";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import styles from "./dms.module.css";

/** How many conversations fit side by side. */
const MAX_OPEN = 3;

/** Direct messages: the agent list, and up to three conversations side by side. */
export function DmsView() {
  return (
    <LabsGate feature="dms" title="Direct messages">
      <Dms />
    </LabsGate>
  );
}

function Dms() {
  const { project } = useProject();
  const agents = useProjectAgents(project.id);
  const [open, setOpen] = useState<string[]>([]);
  const known = open.filter((key) => agents.some((a) => a.agent.agent_key === key));
  const shown = known.length > 0 ? known : agents[0] ? [agents[0].agent.agent_key] : [];
  // A link to one conversation (?agent=web, e.g. from the Activity feed) opens it.
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get("agent");
    if (wanted) setOpen((current) => (current.includes(wanted) ? current : [wanted]));
  }, []);

  const toggle = (key: string) =>
    setOpen((current) => {
      const base = current.length > 0 ? current : shown;
      if (base.includes(key)) return base.filter((k) => k !== key);
      return [...base, key].slice(-MAX_OPEN);
    });

  return (
    <div className={styles.layout}>
      <nav className={styles.list} aria-label="Agents to message">
        <h1 className={styles.title}>Direct messages</h1>
        <p className={`muted ${styles.hint}`}>Pick up to {MAX_OPEN} agents to talk side by side.</p>
        <ul onKeyDown={onListKeyDown}>
          {agents.map(({ agent, status }, i) => (
            <li key={agent.id}>
              <button
                type="button"
                {...LIST_ITEM}
                tabIndex={i === 0 ? 0 : -1}
                className={styles.agent}
                aria-pressed={shown.includes(agent.agent_key)}
                onClick={() => toggle(agent.agent_key)}
                disabled={!agent.enabled}
                data-testid="dm-agent"
                data-agent={agent.agent_key}
              >
                {/* Read as "Backend (idle)" or "Backend (working: Writing the migration)", each word once,
                    and at phone width too, where the visible action line is hidden. */}
                <AgentStatusDot status={status?.status} decorative />
                <span className={styles.agentName}>
                  {agent.display_name}
                  <span className="visually-hidden">{`(${status?.status ?? "offline"}${status?.current_action ? `: ${status.current_action}` : ""})`}</span>
                </span>
                <span className={styles.agentAction} aria-hidden="true">
                  {status?.current_action || status?.status || "offline"}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className={styles.panes} style={{ "--open-panes": Math.max(1, shown.length) } as CSSProperties}>
        {shown.length === 0 ? <p className="muted">Pick an agent to start a conversation.</p> : null}
        {shown.map((key) => {
          const agent = agents.find((a) => a.agent.agent_key === key)?.agent;
          const name = agent?.display_name ?? key;
          return (
            <div key={key} className={styles.pane}>
              <header className={styles.paneHeader}>
                <span className={styles.paneTitle}>{name}</span>
                <span className="muted">{agent?.model}</span>
                <button
                  type="button"
                  className="button small"
                  onClick={() => toggle(key)}
                  aria-label={`Close the conversation with ${name}`}
                >
                  Close
                </button>
              </header>
              <ChatThread
                threadKey={`DM:${key}`}
                label={`DM with ${name}`}
                emptyText={`No messages with ${name} yet.`}
                placeholder={`Message ${name}`}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
