"use client";

import type { TAgent } from "@mission-control/shared/rows";
import { useEffect, useMemo, useRef } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { onListKeyDown } from "../ui/use-list-keys.ts";
import styles from "./chat.module.css";
import { ChatComposer } from "./chat-composer.tsx";
import { MessageItem } from "./message-item.tsx";
import { selectThread } from "./select-thread.ts";

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
  const { project, session, canWrite } = useProject();
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

  const scroller = useRef<HTMLDivElement>(null);
  const count = view.messages.length;
  // Follow new messages while the reader is at the bottom; leave them alone when they scrolled up.
  const lastCount = useRef(0);
  useEffect(() => {
    const el = scroller.current;
    if (!el || count === lastCount.current) return;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 160 || lastCount.current === 0;
    lastCount.current = count;
    if (nearBottom) el.scrollTop = el.scrollHeight;
  }, [count]);

  return (
    <section className={styles.thread} aria-label={label} data-thread={threadKey}>
      <div
        ref={scroller}
        className={styles.messages}
        role="log"
        aria-live="polite"
        aria-label={`${label} messages`}
        onKeyDown={onListKeyDown}
      >
        {count === 0 ? <p className={styles.empty}>{emptyText}</p> : null}
        {view.messages.map((m) => (
          <MessageItem
            key={m.id}
            message={m}
            deliveries={view.deliveriesByMessage.get(m.id) ?? []}
            agentsByKey={agentsByKey}
            myUserId={session.user.id}
            canWrite={canWrite}
            place={label}
            reroutable={threadKey === "team-room"}
          />
        ))}
      </div>
      {canWrite ? (
        <ChatComposer threadKey={threadKey} placeholder={placeholder} mentionable={mentionable} />
      ) : (
        <p className={styles.readOnly}>You are a viewer in this project: you can read, not send.</p>
      )}
    </section>
  );
}
