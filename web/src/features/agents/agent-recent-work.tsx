"use client";

import { type TAgent, type TChatMessage, type TChatThread, ZReplyMetadata } from "@mission-control/shared/rows";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { DeliveryStates } from "../chat/delivery-states.tsx";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useClock } from "../ui/clock.tsx";
import { dayKey, formatTime, type TFormatClock } from "../ui/format-time.ts";
import { useNow } from "../ui/use-now.ts";
import styles from "./agent-page.module.css";
import { readAgentRecentWork } from "./read-agent-history.ts";
import { selectAgentRecentWork } from "./select-agent-recent-work.ts";

const LIMIT = 15;

/** The time for today's work, the day for older work, in the reader's clock. */
function formatWhen(iso: string, now: number, clock: TFormatClock): string {
  return dayKey(now, clock) === dayKey(iso, clock) ? formatTime(iso, "time", clock) : formatTime(iso, "day", clock);
}

/** Where a message was posted, in words, with a link to it. */
function placeOf(thread: TChatThread | undefined, slug: string): { label: string; href: string | null } {
  if (!thread) return { label: "a thread", href: null };
  switch (thread.kind) {
    case "dm":
      return { label: "DM", href: `/p/${slug}/dms` };
    case "team_room":
      return { label: "Team Room", href: `/p/${slug}/team-room` };
    case "task":
      return { label: thread.title || "Task thread", href: `/p/${slug}/tasks/${thread.thread_key.replace(/^task:/, "")}` };
  }
}

/** Model and tokens under a reply, from its metadata. */
function replyMeta(reply: TChatMessage): string {
  const meta = ZReplyMetadata.safeParse(reply.metadata);
  if (!meta.success) return "";
  const { model, usage } = meta.data;
  const parts = [model ?? ""];
  if (usage?.input_tokens !== undefined || usage?.output_tokens !== undefined)
    parts.push(`${usage.input_tokens ?? 0} in / ${usage.output_tokens ?? 0} out`);
  return parts.filter(Boolean).join(" · ");
}

/**
 * The agent's recent work: the latest messages delivered to it (DM, Team Room, task threads),
 * each with its delivery state (Retry on a failed one) and the agent's reply. Read once, then
 * live through the store.
 */
export function AgentRecentWork({ agent }: { agent: TAgent }) {
  const { project, client, canWrite } = useProject();
  const store = useLiveStoreApi();
  const clock = useClock();
  const now = useNow(60_000);
  const deliveries = useLiveStore((s) => s.rows.chat_delivery_queue);
  const messages = useLiveStore((s) => s.rows.project_chat_messages);
  const threads = useLiveStore((s) => s.rows.project_chat_threads);
  const agentsRows = useLiveStore((s) => s.rows.agents);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    readAgentRecentWork(client, project.id, agent.agent_key, LIMIT)
      .then((read) => {
        store.getState().applyRows("chat_delivery_queue", read.deliveries);
        store.getState().applyRows("project_chat_messages", read.messages);
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [client, store, project.id, agent.agent_key]);

  const items = useMemo(
    () => selectAgentRecentWork({ deliveries, messages }, project.id, agent.agent_key, LIMIT),
    [deliveries, messages, project.id, agent.agent_key],
  );
  const agentsByKey = useMemo(
    () =>
      new Map(
        Object.values(agentsRows)
          .filter((a) => a.project_id === project.id)
          .map((a) => [a.agent_key, a]),
      ),
    [agentsRows, project.id],
  );

  return (
    <section className={styles.card} aria-labelledby="agent-work-title">
      <div className={styles.cardHead}>
        <h2 className={styles.cardTitle} id="agent-work-title">
          Recent deliveries and replies
        </h2>
      </div>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {items.length === 0 ? <p className="muted">Nothing delivered to @{agent.agent_key} yet.</p> : null}
      <ol className={styles.work}>
        {items.map(({ delivery, message, reply }) => {
          const place = placeOf(message ? threads[message.thread_id] : undefined, project.slug);
          return (
            <li key={delivery.id} className={styles.workItem} data-testid="agent-work-item" data-status={delivery.status}>
              <div className={styles.workHead}>
                <span className={styles.workTime}>{formatWhen(message?.created_at ?? delivery.updated_at, now, clock)}</span>
                {place.href ? <Link href={place.href}>{place.label}</Link> : <span>{place.label}</span>}
                <span className={styles.spacer} />
                {message ? (
                  <DeliveryStates message={message} deliveries={[delivery]} agentsByKey={agentsByKey} canWrite={canWrite} />
                ) : null}
              </div>
              {message ? (
                <p className={styles.workAsked}>
                  <span className={styles.workWho}>{message.author_type === "agent" ? `@${message.author_agent_key}` : "Operator"}:</span>{" "}
                  {message.content}
                </p>
              ) : null}
              {reply ? (
                <div className={styles.workReply}>
                  <p className={styles.workReplyText}>{reply.content}</p>
                  {replyMeta(reply) ? <span className={styles.workMeta}>{replyMeta(reply)}</span> : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
