"use client";

import { type TAgent, type TChatDelivery, type TChatMessage, ZReplyMetadata } from "@mission-control/shared/rows";
import { memo } from "react";
import { ApprovalCard } from "../approvals/approval-card.tsx";
import { MessageDocRefs } from "../doc-refs/doc-ref-chips.tsx";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { LIST_ITEM } from "../ui/use-list-keys.ts";
import styles from "./chat.module.css";
import { DeliveryStates } from "./delivery-states.tsx";
import { OutcomeRow } from "./outcome-row.tsx";
import { PromoteToTaskButton } from "./promote-to-task-button.tsx";
import { readOutcomeNotice } from "./read-outcome-notice.ts";
import { RoutingLine } from "./routing-line.tsx";

/** Model and token usage under an agent's reply. */
function ReplyMeta({ message }: { message: TChatMessage }) {
  const meta = ZReplyMetadata.safeParse(message.metadata);
  if (!meta.success) return null;
  const { model, provider, usage, offline } = meta.data;
  const parts: string[] = [];
  if (model) parts.push(provider ? `${provider} · ${model}` : model);
  if (usage && (usage.input_tokens !== undefined || usage.output_tokens !== undefined)) {
    parts.push(`${usage.input_tokens ?? 0} in / ${usage.output_tokens ?? 0} out tokens`);
  }
  if (parts.length === 0 && !offline) return null;
  return (
    <div className={styles.meta} data-testid="reply-meta">
      {parts.join(" · ")}
      {offline ? <span className={styles.offlineTag}>offline model</span> : null}
    </div>
  );
}

/** An action_proposal or task_proposal message: the proposal's approval card (linked by metadata.proposal_id), else its text. */
function ProposalInChat({ message, agentName }: { message: TChatMessage; agentName: string }) {
  const proposalId = typeof message.metadata.proposal_id === "string" ? message.metadata.proposal_id : "";
  const proposal = useLiveStore((s) => s.rows.action_proposals[proposalId]);
  if (!proposal) return <Markdown source={message.content} className={styles.body} />;
  return (
    <div className={styles.proposal}>
      <ApprovalCard proposal={proposal} agentName={agentName} />
    </div>
  );
}

/**
 * What a message says: a proposal as its approval card, a proposal's outcome as a compact row,
 * anything else as markdown with @mentions of the project's agents highlighted.
 */
function MessageBody({
  message,
  author,
  agentsByKey,
  replies,
}: {
  message: TChatMessage;
  author: string;
  agentsByKey: Map<string, TAgent>;
  replies: readonly TChatMessage[];
}) {
  if (message.message_type === "action_proposal" || message.message_type === "task_proposal") {
    return <ProposalInChat message={message} agentName={author} />;
  }
  const outcome = readOutcomeNotice(message);
  if (outcome) {
    const agentName = (key: string | null) => (key ? (agentsByKey.get(key)?.display_name ?? key) : "the agent");
    return <OutcomeRow notice={outcome} message={message} replies={replies} agentName={agentName} />;
  }
  return <Markdown source={message.content} className={styles.body} mentions={mentionKeys(agentsByKey)} />;
}

// One set per agents map (the thread builds the map once per change of the agents).
const mentionSets = new WeakMap<Map<string, TAgent>, ReadonlySet<string>>();
function mentionKeys(agentsByKey: Map<string, TAgent>): ReadonlySet<string> {
  let keys = mentionSets.get(agentsByKey);
  if (!keys) {
    keys = new Set(agentsByKey.keys());
    mentionSets.set(agentsByKey, keys);
  }
  return keys;
}

/**
 * One chat message: author, time, text, and its delivery state or reply details. Memoised: a
 * thread re-renders on every scroll step, and a message re-renders only when its own props change
 * (its markdown is not parsed again).
 */
export const MessageItem = memo(function MessageItem({
  message,
  deliveries,
  agentsByKey,
  myUserId,
  canWrite,
  place,
  reroutable = false,
  replies = [],
}: {
  message: TChatMessage;
  deliveries: TChatDelivery[];
  agentsByKey: Map<string, TAgent>;
  myUserId: string;
  canWrite: boolean;
  /** Where the message is, in words ("the Team Room"), for a promoted task's description. */
  place: string;
  /** The thread is the Team Room: an operator may send a routed message to another agent. */
  reroutable?: boolean;
  /** Agents' replies to this message folded under it (replies to a proposal-outcome notice). */
  replies?: readonly TChatMessage[];
}) {
  const format = useFormatTime();
  const formatTime = (iso: string) => format(iso, "time");
  const author =
    message.author_type === "agent"
      ? (agentsByKey.get(message.author_agent_key ?? "")?.display_name ?? message.author_agent_key ?? "Agent")
      : message.author_type === "user"
        ? message.author_user_id === myUserId
          ? "You"
          : "Operator"
        : "System";
  return (
    <article
      {...LIST_ITEM}
      tabIndex={-1}
      className={styles.message}
      data-author={message.author_type}
      data-testid="chat-message"
      aria-label={`${author} at ${formatTime(message.created_at)}`}
    >
      <div className={styles.messageHead}>
        <span className={styles.author} data-agent={message.author_agent_key ?? undefined}>
          {author}
        </span>
        <time className={styles.time} dateTime={message.created_at}>
          {formatTime(message.created_at)}
        </time>
        {canWrite && message.message_type === "text" ? (
          <PromoteToTaskButton message={message} author={author} place={place} agentsByKey={agentsByKey} />
        ) : null}
      </div>
      <MessageBody message={message} author={author} agentsByKey={agentsByKey} replies={replies} />
      {message.author_type === "user" ? <MessageDocRefs metadata={message.metadata} /> : null}
      {message.author_type === "user" ? (
        <RoutingLine message={message} agentsByKey={agentsByKey} myUserId={myUserId} canReroute={canWrite && reroutable} />
      ) : null}
      {message.author_type === "user" ? (
        <DeliveryStates message={message} deliveries={deliveries} agentsByKey={agentsByKey} canWrite={canWrite} />
      ) : null}
      {message.author_type === "agent" ? <ReplyMeta message={message} /> : null}
    </article>
  );
});
