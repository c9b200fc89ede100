"use client";

import type { TRunEvent } from "@mission-control/shared/rows";
import type { TRunEventKind } from "@mission-control/shared/schemas";
import { useMemo, useState } from "react";
import { useFormatTime } from "../ui/clock.tsx";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { describeRunEventData } from "./describe-run-event-data.ts";
import { groupRunEventsByAgent } from "./group-run-events.ts";
import styles from "./runs.module.css";

/** Each kind's short label in the timeline. */
const KIND_LABELS: Record<TRunEventKind, string> = {
  status: "status",
  message: "message",
  read_file: "read",
  tool_call: "tool",
  propose_changeset: "changeset",
  test_start: "test",
  test_result: "test result",
  needs_approval: "approval",
  handoff: "hand-off",
  error: "error",
};

/** The tone of an event: a test that failed or an error stands out, a passed test is green. */
function toneOf(event: TRunEvent): "bad" | "good" | undefined {
  if (event.kind === "error") return "bad";
  if (event.kind === "test_result") return event.data.passed === true ? "good" : "bad";
  if (event.kind === "tool_call" && event.data.ok === false) return "bad";
  return undefined;
}

/**
 * A run's timeline, live, as stretches per agent (a hand-off switches agent): each event is its
 * short sentence, with its structured data one click (or Enter) away; a test's output shows in a
 * monospace block. ↑↓ move between events.
 */
export function RunTimeline({
  events,
  firstAgentKey,
  agentNames,
}: {
  events: TRunEvent[];
  firstAgentKey: string;
  agentNames: ReadonlyMap<string, string>;
}) {
  const groups = useMemo(() => groupRunEventsByAgent(events, firstAgentKey), [events, firstAgentKey]);
  const format = useFormatTime();
  const formatTime = (iso: string) => format(iso, "timeSeconds");
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  let index = 0;
  return (
    <ol className={styles.timeline} onKeyDown={onListKeyDown} data-testid="run-timeline" aria-label="Timeline">
      {groups.map((group) => (
        <li key={group.key} className={styles.group} aria-label={`@${group.agentKey}`} data-agent={group.agentKey}>
          <div className={styles.groupHead}>
            <span className={styles.groupAgent}>{agentNames.get(group.agentKey) ?? group.agentKey}</span>
            <span className={styles.key}>@{group.agentKey}</span>
          </div>
          <ol className={styles.events}>
            {group.events.map((event) => {
              const fields = describeRunEventData(event);
              const expanded = open.has(event.id);
              const first = index++ === 0;
              return (
                <li
                  key={event.id}
                  {...LIST_ITEM}
                  tabIndex={first ? 0 : -1}
                  className={styles.event}
                  data-kind={event.kind}
                  data-tone={toneOf(event)}
                  data-testid="run-event"
                  onKeyDown={(e) => {
                    if ((e.key === "Enter" || e.key === " ") && e.target === e.currentTarget && fields.length > 0) {
                      e.preventDefault();
                      toggle(event.id);
                    }
                  }}
                >
                  <div className={styles.eventLine}>
                    <time className={styles.eventTime} dateTime={event.created_at}>
                      {formatTime(event.created_at)}
                    </time>
                    <span className={styles.eventKind}>{KIND_LABELS[event.kind]}</span>
                    <span className={styles.eventSummary}>{event.summary}</span>
                    {fields.length > 0 ? (
                      <button
                        type="button"
                        tabIndex={-1}
                        className={styles.expand}
                        aria-expanded={expanded}
                        aria-label={expanded ? "Hide details" : "Show details"}
                        onClick={() => toggle(event.id)}
                      >
                        {expanded ? "▾" : "▸"}
                      </button>
                    ) : null}
                  </div>
                  {expanded ? (
                    <dl className={styles.eventData}>
                      {fields.map((field) => (
                        <div key={field.key} className={field.block ? styles.dataBlock : styles.dataRow}>
                          <dt>{field.label}</dt>
                          <dd>{field.block ? <pre className={styles.mono}>{field.value}</pre> : field.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </li>
      ))}
    </ol>
  );
}
