"use client";

import type { TAgent, TProposal } from "@mission-control/shared/rows";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useNow } from "../ui/use-now.ts";
import styles from "./agent-page.module.css";
import { readAgentProposals } from "./read-agent-history.ts";
import { selectAgentProposals } from "./select-agent-proposals.ts";

const LIMIT = 20;

const STATUS_WORDS: Record<TProposal["status"], string> = {
  proposed: "waiting",
  approved: "approved",
  executing: "running",
  executed: "executed",
  rejected: "rejected",
  expired: "expired",
  failed: "failed",
};

/** What became of a proposal, in a few words. */
function outcomeOf(proposal: TProposal): string | null {
  if (proposal.status === "failed") return proposal.error;
  if (proposal.status === "rejected") return proposal.resolution_comment ? `“${proposal.resolution_comment}”` : null;
  return null;
}

/**
 * The actions the agent proposed and what became of them (waiting, executed, rejected, failed…),
 * with counts per outcome; a waiting one links to Approvals. Read once, then live.
 */
export function AgentProposals({ agent }: { agent: TAgent }) {
  const { project, client } = useProject();
  const store = useLiveStoreApi();
  const rows = useLiveStore((s) => s.rows.action_proposals);
  const now = useNow();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    readAgentProposals(client, project.id, agent.agent_key, LIMIT)
      .then((read) => store.getState().applyRows("action_proposals", read))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [client, store, project.id, agent.agent_key]);

  const { latest, counts, total } = useMemo(
    () => selectAgentProposals(Object.values(rows), project.id, agent.agent_key, LIMIT),
    [rows, project.id, agent.agent_key],
  );
  const summary = (Object.entries(counts) as [TProposal["status"], number][])
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${count} ${STATUS_WORDS[status]}`)
    .join(" · ");

  return (
    <section className={styles.card} aria-labelledby="agent-proposals-title">
      <div className={styles.cardHead}>
        <h2 className={styles.cardTitle} id="agent-proposals-title">
          Proposals
        </h2>
        {total > 0 ? <span className={styles.cardNote}>{summary}</span> : null}
      </div>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {total === 0 ? <p className="muted">@{agent.agent_key} has proposed nothing yet.</p> : null}
      <ol className={styles.proposals}>
        {latest.map((proposal) => {
          const outcome = outcomeOf(proposal);
          return (
            <li key={proposal.id} className={styles.proposal} data-status={proposal.status} data-testid="agent-proposal">
              <div className={styles.proposalHead}>
                <span className={styles.proposalStatus} data-status={proposal.status}>
                  {STATUS_WORDS[proposal.status]}
                </span>
                <code>{proposal.action_type}</code>
                <span className={styles.proposalRisk} data-risk={proposal.risk}>
                  {proposal.risk} risk
                </span>
                <span className={styles.spacer} />
                <span className={styles.workTime}>{formatAge("", proposal.created_at, now).trim()}</span>
              </div>
              <div className={styles.proposalSummary}>
                {proposal.status === "proposed" ? (
                  <Link href={`/p/${project.slug}/approvals`}>{proposal.summary || "Review it in Approvals"}</Link>
                ) : (
                  proposal.summary
                )}
              </div>
              {outcome ? <div className={styles.proposalOutcome}>{outcome}</div> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
