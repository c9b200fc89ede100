"use client";

import type { TChatMessage } from "@mission-control/shared/rows";
import Link from "next/link";
import { describeProposalTarget } from "../approvals/describe-proposal-target.ts";
import { proposalHref } from "../approvals/proposal-href.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "./chat.module.css";
import type { TOutcomeNotice } from "./read-outcome-notice.ts";

const LABELS: Record<TOutcomeNotice["status"], string> = {
  executed: "Executed",
  rejected: "Rejected",
  expired: "Expired",
  failed: "Failed",
};

/**
 * A proposal's outcome as the operator reads it: one row with the action, its status, what it acted
 * on, the comment or error, and a link to the proposal. The notice's text (written to the agent,
 * with the proposal as JSON) and the agent's answers to it sit behind "details".
 */
export function OutcomeRow({
  notice,
  message,
  replies,
  agentName,
}: {
  notice: TOutcomeNotice;
  message: TChatMessage;
  replies: readonly TChatMessage[];
  agentName: (key: string | null) => string;
}) {
  const { project } = useProject();
  const proposal = useLiveStore((s) => s.rows.action_proposals[notice.proposalId]);
  const target = proposal ? describeProposalTarget(proposal.action_type, proposal.params) : "";
  const comment = notice.comment ?? proposal?.resolution_comment ?? null;
  const error = notice.error ?? proposal?.error ?? null;
  return (
    <div className={styles.outcome} data-testid="outcome-row" data-status={notice.status} data-proposal-id={notice.proposalId}>
      <div className={styles.outcomeLine}>
        <span className={styles.outcomeAction}>{notice.actionType}</span>
        <span className={styles.outcomeStatus}>{LABELS[notice.status]}</span>
        {proposal?.summary ? <span className={styles.outcomeSummary}>{proposal.summary}</span> : null}
        {target ? <span className={styles.outcomeTarget}>{target}</span> : null}
        <Link className={styles.outcomeLink} href={proposalHref(project.slug, notice.proposalId)}>
          View proposal
        </Link>
      </div>
      {comment && notice.status === "rejected" ? <div className={styles.outcomeNote}>“{comment}”</div> : null}
      {error && notice.status === "failed" ? <div className={styles.outcomeError}>{error}</div> : null}
      <details className={styles.outcomeDetails}>
        <summary>
          Details
          {replies.length > 0
            ? ` · ${replies.length === 1 ? `${agentName(replies[0]?.author_agent_key ?? null)} replied` : `${replies.length} replies`}`
            : ""}
        </summary>
        <p className={styles.outcomeHint}>Sent to {agentName(message.target_agent_keys[0] ?? null)} so it can follow up:</p>
        <pre className={styles.outcomeText}>{message.content}</pre>
        {replies.map((r) => (
          <div key={r.id} className={styles.outcomeReply} data-testid="outcome-reply">
            <span className={styles.author}>{agentName(r.author_agent_key)}</span> {r.content}
          </div>
        ))}
      </details>
    </div>
  );
}
