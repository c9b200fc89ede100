"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import shell from "../ui/page.module.css";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { ApprovalCard } from "./approval-card.tsx";
import styles from "./approvals.module.css";
import { usePendingProposals } from "./use-pending-proposals.ts";

/** The Approvals inbox: every proposal waiting for a decision in the project, oldest first, live. */
export function ApprovalsInbox() {
  const { project, canWrite } = useProject();
  const pending = usePendingProposals(project.id);
  const tasks = useLiveStore((s) => s.rows.tasks);
  const threads = useLiveStore((s) => s.rows.project_chat_threads);
  const agents = useProjectAgents(project.id);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  return (
    <section className={shell.page}>
      <h1 className={shell.pageTitle}>
        Approvals <span className="muted">({pending.length} waiting)</span>
      </h1>
      {pending.length === 0 ? (
        <p className="muted">Nothing is waiting for a decision. Proposals from agents appear here, oldest first.</p>
      ) : !canWrite ? (
        <p className="muted">You are a viewer: you can read proposals; operators and owners decide.</p>
      ) : null}
      <ol className={styles.inbox} onKeyDown={onListKeyDown} aria-label="Pending proposals">
        {pending.map((proposal, i) => {
          const task = proposal.task_id ? tasks[proposal.task_id] : undefined;
          const thread = proposal.thread_id ? threads[proposal.thread_id] : undefined;
          return (
            <li key={proposal.id} {...LIST_ITEM} tabIndex={i === 0 ? 0 : -1} className={styles.inboxItem} data-testid="inbox-item">
              <div className={styles.where}>
                {task ? (
                  <>
                    In task <Link href={`/p/${project.slug}/tasks/${task.id}`}>{task.title}</Link>
                  </>
                ) : thread ? (
                  <>In {thread.title}</>
                ) : (
                  <>Not linked to a task</>
                )}
              </div>
              <ApprovalCard proposal={proposal} agentName={agentNames.get(proposal.proposed_by_agent_key)} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
