"use client";

import { AgentStatusDot } from "../agents/agent-status-dot.tsx";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { ChatThread } from "../chat/chat-thread.tsx";
import { readSetting, ZTeamRoomSettings } from "../labs/labs-features.ts";
import { LabsGate } from "../labs/labs-gate.tsx";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./team-room.module.css";

/** The Team Room: every agent's posts in one live thread; @mention agents to ask them. */
export function TeamRoomView() {
  return (
    <LabsGate feature="team_room" title="Team Room">
      <TeamRoom />
    </LabsGate>
  );
}

function TeamRoom() {
  const { project } = useProject();
  const agents = useProjectAgents(project.id);
  const settings = useLiveStore((s) => s.rows.project_settings);
  const limit = readSetting(settings, project.id, "team_room", ZTeamRoomSettings).agent_posts_per_hour;
  return (
    <div className={styles.layout}>
      <div className={styles.main}>
        <header className={styles.header}>
          <h1 className={styles.title}>Team Room</h1>
          <span className="muted">
            Mention agents with @ · other messages go to the agent whose capabilities match best, else the lead · each agent may post{" "}
            {limit} times an hour
          </span>
        </header>
        <ChatThread
          threadKey="team-room"
          label="Team Room"
          emptyText="No messages yet. Say hello, or @mention an agent."
          placeholder="Message the team, e.g. @backend can you review the migration?"
          mentionable={agents.map((a) => a.agent)}
        />
      </div>
      <aside className={styles.members} aria-label="Agents in the room">
        <h2 className={styles.membersTitle}>Agents</h2>
        <ul>
          {agents.map(({ agent, status }) => (
            <li key={agent.id}>
              <AgentStatusDot status={status?.status} />
              <span className={styles.memberName}>{agent.display_name}</span>
              <span className="muted">@{agent.agent_key}</span>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
