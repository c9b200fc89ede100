"use client";

import type { TAgent, TAgentStatus, TProvisionRequest } from "@mission-control/shared/rows";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { selectLoaded } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { useNow } from "../ui/use-now.ts";
import { UsageChart } from "../usage/usage-chart.tsx";
import { AgentActions } from "./agent-actions.tsx";
import { AgentBrainDocs } from "./agent-brain-docs.tsx";
import { AgentEditor } from "./agent-editor.tsx";
import styles from "./agent-page.module.css";
import { AgentProposals } from "./agent-proposals.tsx";
import { AgentRecentWork } from "./agent-recent-work.tsx";
import { formatAgo } from "./agent-roster.tsx";
import { AgentStatusDot } from "./agent-status-dot.tsx";
import { ContextMeter } from "./context-meter.tsx";
import { describeEffectiveSetting } from "./describe-effective-setting.ts";
import { effectiveSettingsOf } from "./effective-settings-of.ts";
import { ProvisionRequests } from "./provision-requests.tsx";
import { useAgentSettingsContext } from "./use-agent-settings-context.ts";

/**
 * One agent's page: live status, current action and context meter on top; its profile editor and
 * brain docs; its usage, recent deliveries and replies, and proposals beside them.
 */
export function AgentPage({ agentKey }: { agentKey: string }) {
  const { project } = useProject();
  const router = useRouter();
  const agents = useLiveStore((s) => s.rows.agents);
  const loaded = useLiveStore(selectLoaded);
  const agent = useMemo(
    () => Object.values(agents).find((a) => a.project_id === project.id && a.agent_key === agentKey),
    [agents, project.id, agentKey],
  );
  const status = useLiveStore((s) => (agent ? s.rows.agent_status[agent.id] : undefined));
  const listHref = `/p/${project.slug}/agents`;
  const renamedTo = useLiveStore((s) =>
    agent ? null : renamedKeyOf(Object.values(s.rows.agent_provision_requests), project.id, agentKey),
  );

  if (!agent) {
    return (
      <section className={styles.page}>
        <div className={styles.crumbs}>
          <Link href={listHref}>Agents</Link> / @{agentKey}
        </div>
        {renamedTo ? (
          <p>
            @{agentKey} was renamed: <Link href={`${listHref}/${renamedTo}`}>open @{renamedTo}</Link>.
          </p>
        ) : (
          <p className="muted">{loaded ? `There is no agent @${agentKey} in this project.` : "Loading the agent…"}</p>
        )}
        <ProvisionRequests agent={{ id: "", agent_key: agentKey }} />
      </section>
    );
  }
  return (
    <section className={styles.page} aria-labelledby="agent-title">
      <AgentHeader agent={agent} status={status} listHref={listHref} onDeleted={() => router.push(listHref)} />
      <ProvisionRequests agent={agent} />
      <div className={styles.columns}>
        <div className={styles.column}>
          <section className={styles.card} aria-labelledby="agent-profile-title">
            <div className={styles.cardHead}>
              <h2 className={styles.cardTitle} id="agent-profile-title">
                Profile
              </h2>
              <span className={styles.cardNote}>Changes apply to the next delivery.</span>
            </div>
            <AgentEditor
              agent={agent}
              onSaved={(outcome) => {
                // A rename moves the page to the agent's new address.
                const renamed = outcome.agent && outcome.agent.agent_key !== agentKey ? outcome.agent.agent_key : null;
                if (renamed) router.replace(`${listHref}/${renamed}`);
              }}
            />
          </section>
          <AgentBrainDocs agent={agent} />
        </div>
        <div className={styles.column}>
          <section className={styles.card} aria-labelledby="agent-usage-title">
            <div className={styles.cardHead}>
              <h2 className={styles.cardTitle} id="agent-usage-title">
                Usage
              </h2>
              <span className={styles.spacer} />
              <Link href={`/p/${project.slug}/usage`} className={styles.cardLink}>
                Budgets and prices
              </Link>
            </div>
            <UsageChart projectId={project.id} agentId={agent.id} />
          </section>
          <AgentRecentWork agent={agent} />
          <AgentProposals agent={agent} />
        </div>
      </div>
    </section>
  );
}

/** The key an agent was last renamed to from `agentKey` (an applied update carrying a new key), if any. */
function renamedKeyOf(requests: readonly TProvisionRequest[], projectId: string, agentKey: string): string | null {
  const renames = requests
    .filter((r) => r.project_id === projectId && r.action === "update" && r.status === "applied" && r.agent_key === agentKey)
    .map((r) => ({ at: Date.parse(r.created_at), key: r.profile.agent_key }))
    .filter((r): r is { at: number; key: string } => typeof r.key === "string" && r.key !== agentKey)
    .sort((a, b) => b.at - a.at);
  return renames[0]?.key ?? null;
}

/** Name, key and role; live status, current action, last seen, effective model and context meter; the agent's actions. */
function AgentHeader({
  agent,
  status,
  listHref,
  onDeleted,
}: {
  agent: TAgent;
  status: TAgentStatus | undefined;
  listHref: string;
  onDeleted: () => void;
}) {
  const { project } = useProject();
  const { defaults, connections } = useAgentSettingsContext(project.id);
  const now = useNow(5000);
  const clock = useClock();
  const resolved = effectiveSettingsOf(agent, defaults);
  const effective = resolved.values;
  const connection = effective.provider === "connection" ? connections.find((c) => c.id === effective.provider_connection_id) : undefined;
  const model = status?.last_model ?? describeEffectiveSetting(resolved, "model", connections).value;
  return (
    <header className={styles.header}>
      <div className={styles.crumbs}>
        <Link href={listHref}>Agents</Link> / @{agent.agent_key}
      </div>
      <div className={styles.titleRow}>
        <h1 className={styles.title} id="agent-title">
          {agent.display_name}
        </h1>
        <span className={styles.key}>@{agent.agent_key}</span>
        {!agent.enabled ? <span className={styles.tag}>disabled</span> : null}
        <span className={styles.spacer} />
        <AgentActions agent={agent} onDeleted={onDeleted} />
      </div>
      {agent.role ? <p className={styles.role}>{agent.role}</p> : null}
      <div className={styles.live} data-testid="agent-live">
        <span className={styles.liveStatus}>
          <AgentStatusDot status={status?.status} decorative />
          <span data-testid="agent-status">{status?.status ?? "offline"}</span>
        </span>
        <span className={styles.liveAction} data-testid="agent-current-action">
          {status?.current_action || <span className="muted">No current action</span>}
        </span>
        <span className={styles.liveMeta}>last seen {formatAgo(status?.last_seen_at ?? null, now, clock)}</span>
        <span className={styles.liveMeta}>
          <span className="visually-hidden">Model: </span>
          <span className={styles.mono}>{model}</span>
          {connection ? ` via ${connection.name}` : null}
        </span>
        <span className={styles.liveMeta}>
          <ContextMeter usage={status?.context_usage ?? {}} maxContextTokens={effective.max_context_tokens} />
        </span>
      </div>
    </header>
  );
}
