"use client";

import type { TAgent, TChatDelivery } from "@mission-control/shared/rows";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useOlderRows } from "../live/use-older-rows.ts";
import { useProject } from "../projects/project-context.tsx";
import { onListKeyDown } from "../ui/use-list-keys.ts";
import styles from "./chat.module.css";
import { ChatComposer } from "./chat-composer.tsx";
import { MessageItem } from "./message-item.tsx";
import { foldOutcomeReplies } from "./read-outcome-notice.ts";
import { selectThread } from "./select-thread.ts";
import { describeWorking, selectWorkingAgents } from "./select-working-agents.ts";
import { useVirtualThread } from "./use-virtual-thread.ts";

/** One empty list for every message without deliveries, so memoised messages see the same props. */
const NO_DELIVERIES: TChatDelivery[] = [];

/** Messages per older page read from the database as the reader scrolls up. */
const PAGE_SIZE = 100;

/**
 * A live conversation: the thread's messages (arrow keys move between them) and, for writers, the
 * composer. Long threads render only the messages on screen; the store holds the newest window
 * (catch-up) and older pages are read as the reader scrolls up.
 */
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
  const keys = useMemo(() => shown.map((m) => m.id), [shown]);
  const threadId = view.thread?.id ?? "";
  const scope = useMemo(() => ({ thread_id: threadId }), [threadId]);
  const older = useOlderRows("project_chat_messages", scope, PAGE_SIZE);
  const { scroller, content, list, virtualizer, startOf, onScroll, onFocusCapture, unseen, scrollToBottom } = useVirtualThread(
    keys,
    // No thread yet (a DM before its first message): nothing older to read.
    threadId ? older : { ...older, exhausted: true, loadOlder: () => {} },
  );

  return (
    <section className={styles.thread} aria-label={label} data-thread={threadKey}>
      <div className={styles.messagesFrame}>
        <div
          ref={scroller}
          className={styles.messages}
          role="log"
          // Rows rendered because the reader scrolled are not news: announce additions only while still.
          aria-live={virtualizer.isScrolling ? "off" : "polite"}
          aria-busy={older.loading}
          aria-label={`${label} messages`}
          onKeyDown={onListKeyDown}
          onFocusCapture={onFocusCapture}
          onScroll={onScroll}
          data-testid="chat-messages"
        >
          <div ref={content}>
            {count === 0 ? <p className={styles.empty}>{emptyText}</p> : null}
            <div ref={list} style={{ position: "relative", height: count === 0 ? 0 : virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map(({ index, start, key }) => {
                const m = shown[index];
                if (!m) return null;
                return (
                  <div
                    key={key}
                    ref={virtualizer.measureElement}
                    data-index={index}
                    style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${startOf(start)}px)` }}
                  >
                    <MessageItem
                      message={m}
                      deliveries={view.deliveriesByMessage.get(m.id) ?? NO_DELIVERIES}
                      agentsByKey={agentsByKey}
                      myUserId={session.user.id}
                      canWrite={canWrite}
                      place={label}
                      reroutable={threadKey === "team-room"}
                      replies={repliesByNotice.get(m.id)}
                    />
                  </div>
                );
              })}
            </div>
            {working ? (
              <p className={styles.working} data-testid="agent-working">
                <span className={styles.workingDots} aria-hidden="true" />
                {working}
              </p>
            ) : null}
          </div>
        </div>
        {older.loading || older.error ? (
          <p className={styles.newPill} role="status" style={{ top: 10, bottom: "auto" }} data-testid="older-messages-status">
            {older.error ? `Could not load older messages: ${older.error}` : "Loading older messages…"}
          </p>
        ) : null}
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
