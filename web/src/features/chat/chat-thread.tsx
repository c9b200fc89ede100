"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { onListKeyDown } from "../ui/use-list-keys.ts";
import styles from "./chat.module.css";
import { ChatComposer } from "./chat-composer.tsx";
import { MessageItem } from "./message-item.tsx";
import { foldOutcomeReplies } from "./read-outcome-notice.ts";
import { selectThread } from "./select-thread.ts";
import { describeWorking, selectWorkingAgents } from "./select-working-agents.ts";
import { useStickToBottom } from "./use-stick-to-bottom.ts";

/** A live conversation: the thread's messages (arrow keys move between them) and, for writers, the composer. */
export function ChatThread({
  threadKey,
  label,
  emptyText,
  placeholder,
  mentionable,
}: {
  threadKey: string;
  label: string;
  emptyText: string;
  placeholder: string;
  mentionable?: TAgent[];
}) {
  const { project, session, canWrite, role } = useProject();
  const threads = useLiveStore((s) => s.rows.project_chat_threads);
  const messagesById = useLiveStore((s) => s.rows.project_chat_messages);
  const deliveries = useLiveStore((s) => s.rows.chat_delivery_queue);
  const agents = useLiveStore((s) => s.rows.agents);
  const view = useMemo(
    () =>
      selectThread(
        { project_chat_threads: threads, project_chat_messages: messagesById, chat_delivery_queue: deliveries },
        project.id,
        threadKey,
      ),
    [threads, messagesById, deliveries, project.id, threadKey],
  );
  const agentsByKey = useMemo(
    () =>
      new Map(
        Object.values(agents)
          .filter((a) => a.project_id === project.id)
          .map((a) => [a.agent_key, a]),
      ),
    [agents, project.id],
  );

  const { shown, repliesByNotice } = useMemo(() => foldOutcomeReplies(view.messages), [view.messages]);
  const working = describeWorking(selectWorkingAgents(view.deliveriesByMessage).map((key) => agentsByKey.get(key)?.display_name ?? key));
  const count = shown.length;
  const { scroller, content, onScroll, unseen, scrollToBottom } = useStickToBottom(count);

  return (
    <section className={styles.thread} aria-label={label} data-thread={threadKey}>
      <div className={styles.messagesFrame}>
        <div
          ref={scroller}
          className={styles.messages}
          role="log"
          aria-live="polite"
          aria-label={`${label} messages`}
          onKeyDown={onListKeyDown}
          onScroll={onScroll}
          data-testid="chat-messages"
        >
          <div ref={content}>
            {count === 0 ? <p className={styles.empty}>{emptyText}</p> : null}
            {shown.map((m) => (
              <MessageItem
                key={m.id}
                message={m}
                deliveries={view.deliveriesByMessage.get(m.id) ?? []}
                agentsByKey={agentsByKey}
                myUserId={session.user.id}
                canWrite={canWrite}
                place={label}
                reroutable={threadKey === "team-room"}
                replies={repliesByNotice.get(m.id)}
              />
            ))}
            {working ? (
              <p className={styles.working} data-testid="agent-working">
                <span className={styles.workingDots} aria-hidden="true" />
                {working}
              </p>
            ) : null}
          </div>
        </div>
        {unseen > 0 ? (
          <button type="button" className={styles.newPill} onClick={scrollToBottom} data-testid="new-messages-pill">
            {unseen === 1 ? "1 new message" : `${unseen} new messages`} ↓
          </button>
        ) : null}
      </div>
      {canWrite ? (
        <ChatComposer threadKey={threadKey} placeholder={placeholder} mentionable={mentionable} />
      ) : role === "viewer" ? (
        <p className={styles.readOnly}>You are a viewer in this project: you can read, not send.</p>
      ) : null}
    </section>
  );
}
