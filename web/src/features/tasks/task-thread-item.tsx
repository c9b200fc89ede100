"use client";

import { assertNever } from "@mission-control/shared/errors";
import Link from "next/link";
import { ApprovalCard } from "../approvals/approval-card.tsx";
import { MessageDocRefs } from "../doc-refs/doc-ref-chips.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { LIST_ITEM } from "../ui/use-list-keys.ts";
import type { TThreadItem } from "./merge-task-thread.ts";
import styles from "./task-detail.module.css";

/** Who wrote a timeline entry, in words. */
function authorName(
  event: { author_type: string; author_agent_key: string | null; author_user_id: string | null },
  agentNames: Map<string, string>,
  myUserId: string,
): string {
  if (event.author_type === "agent") return agentNames.get(event.author_agent_key ?? "") ?? event.author_agent_key ?? "Agent";
  if (event.author_type === "user") return event.author_user_id === myUserId ? "You" : "Operator";
  return "System";
}

/** One entry of a task thread: the description, an event, an approval card or a legacy note. */
export function TaskThreadItem({
  item,
  agentNames,
  myUserId,
  first,
}: {
  item: TThreadItem;
  agentNames: Map<string, string>;
  myUserId: string;
  /** The first entry is the list's Tab stop; arrow keys move on from there. */
  first: boolean;
}) {
  const { project } = useProject();
  const format = useFormatTime();
  const formatTime = (iso: string) => format(iso, "dayTime");
  const common = { ...LIST_ITEM, tabIndex: first ? 0 : -1, className: styles.item, "data-testid": "thread-item", "data-kind": item.kind };
  switch (item.kind) {
    case "description":
      return (
        <li {...common}>
          <div className={styles.itemHead}>
            <span className={styles.author}>Description</span>
            <time className={styles.time} dateTime={item.at}>
              created {formatTime(item.at)}
            </time>
          </div>
          <div className={styles.description}>{item.task.description || <span className="muted">No description.</span>}</div>
        </li>
      );
    case "approval":
      return (
        <li {...common} data-proposal-id={item.proposalId}>
          {item.proposal ? (
            <ApprovalCard proposal={item.proposal} agentName={agentNames.get(item.proposal.proposed_by_agent_key)} />
          ) : (
            <p className="muted">{item.event?.content ?? "A proposal"} (loading…)</p>
          )}
        </li>
      );
    case "legacy_comment":
      return (
        <li {...common}>
          <div className={styles.itemHead}>
            <span className={styles.author}>{item.comment.author || "Someone"}</span>
            <span className={styles.kind}>comment (imported)</span>
            <time className={styles.time} dateTime={item.at}>
              {formatTime(item.at)}
            </time>
          </div>
          <div className={styles.body}>{item.comment.body}</div>
        </li>
      );
    case "legacy_output":
      return (
        <li {...common}>
          <div className={styles.itemHead}>
            <span className={styles.author}>{item.output.author || "Someone"}</span>
            <span className={styles.kind}>output (imported)</span>
            <time className={styles.time} dateTime={item.at}>
              {formatTime(item.at)}
            </time>
          </div>
          <div className={styles.output}>
            {item.output.title ? <div className={styles.outputTitle}>{item.output.title}</div> : null}
            <div className={styles.body}>{item.output.content}</div>
            {item.output.url ? (
              <a href={item.output.url} target="_blank" rel="noreferrer">
                {item.output.url}
              </a>
            ) : null}
          </div>
        </li>
      );
    case "event": {
      const { event } = item;
      const author = authorName(event, agentNames, myUserId);
      if (event.kind === "status_change" || event.kind === "approval_resolved") {
        return (
          <li {...common} data-event-kind={event.kind} data-status={String(event.metadata.status ?? event.metadata.to ?? "")}>
            <div className={styles.line}>
              <span className={styles.what}>
                {author} · {event.content}
              </span>
              <time className={styles.time} dateTime={item.at}>
                {formatTime(item.at)}
              </time>
            </div>
          </li>
        );
      }
      const title = typeof event.metadata.title === "string" ? event.metadata.title : "";
      const url = typeof event.metadata.url === "string" ? event.metadata.url : "";
      // A hand-off (handoff_ai_task, /handoff) is a system comment that names the run it queued.
      const handOffRunId = event.kind === "comment" && event.metadata.kind === "handoff" ? String(event.metadata.run_id ?? "") : "";
      const kindLabel =
        event.kind === "output_added"
          ? "added an output"
          : event.kind === "agent_update"
            ? "progress"
            : event.kind === "comment"
              ? event.metadata.kind === "handoff"
                ? "hand-off"
                : event.metadata.kind === "routed"
                  ? "routing"
                  : ""
              : event.kind;
      return (
        <li {...common} data-event-kind={event.kind}>
          <div className={styles.itemHead}>
            <span className={styles.author} data-author={event.author_type}>
              {author}
            </span>
            {kindLabel ? <span className={styles.kind}>{kindLabel}</span> : null}
            <time className={styles.time} dateTime={item.at}>
              {formatTime(item.at)}
            </time>
          </div>
          {event.kind === "output_added" ? (
            <div className={styles.output}>
              {title ? <div className={styles.outputTitle}>{title}</div> : null}
              <div className={styles.body}>{event.content}</div>
              {url ? (
                <a href={url} target="_blank" rel="noreferrer">
                  {url}
                </a>
              ) : null}
            </div>
          ) : (
            <div className={styles.body}>
              {event.content}
              {handOffRunId ? (
                <>
                  {" "}
                  <Link href={`/p/${project.slug}/runs/${handOffRunId}`}>Open the run</Link>
                </>
              ) : null}
            </div>
          )}
          {event.author_type === "user" ? <MessageDocRefs metadata={event.metadata} /> : null}
        </li>
      );
    }
    default:
      return assertNever(item);
  }
}
