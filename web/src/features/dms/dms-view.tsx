"use client";

import { useSearchParams } from "next/navigation";
import { type CSSProperties, type PointerEvent, useEffect, useRef, useState } from "react";
import { AgentStatusDot } from "../agents/agent-status-dot.tsx";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { ChatThread } from "../chat/chat-thread.tsx";
import { LabsGate } from "../labs/labs-gate.tsx";
import { useProject } from "../projects/project-context.tsx";
import { useMediaQuery } from "../shell/use-media-query.ts";
import { useIsHydrating } from "../ui/clock.tsx";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import styles from "./dms.module.css";

/** How many conversations fit side by side. */
const MAX_OPEN = 3;

/** Below this width the list and a conversation are two panes, one on screen at a time (as in dms.module.css). */
const PHONE_QUERY = "(max-width: 720px)";
/** A horizontal move this long (px), mostly sideways, is a swipe between the panes. */
const SWIPE_PX = 70;

/**
 * Direct messages: the agent list, and up to three conversations side by side. On a phone, the
 * list and one conversation are panes you move between: an agent opens its conversation, Back (or a
 * swipe to the right) returns to the list, a swipe to the left goes back to the conversation.
 */
export function DmsView() {
  return (
    <LabsGate feature="dms" title="Direct messages">
      <Dms />
    </LabsGate>
  );
}

function Dms() {
  const { project } = useProject();
  const agents = useProjectAgents(project.id);
  const [open, setOpen] = useState<string[]>([]);
  const known = open.filter((key) => agents.some((a) => a.agent.agent_key === key));
  const shown = known.length > 0 ? known : agents[0] ? [agents[0].agent.agent_key] : [];
  const phone = useMediaQuery(PHONE_QUERY);
  // Opened on a phone, the page starts on the list; shrunk from a desk, it stays on the conversation.
  // (A page the server rendered starts on the conversation, as the server did, and moves to the list once hydrated.)
  const hydrating = useIsHydrating();
  const [pane, setPane] = useState<"list" | "conversation">(() =>
    !hydrating && typeof window !== "undefined" && window.matchMedia(PHONE_QUERY).matches ? "list" : "conversation",
  );
  const [fromServer] = useState(hydrating);
  useEffect(() => {
    if (fromServer && window.matchMedia(PHONE_QUERY).matches) setPane("list");
  }, [fromServer]);
  // The conversation a phone shows (the last one opened).
  const [active, setActive] = useState<string | null>(null);
  const current = active && shown.includes(active) ? active : (shown[shown.length - 1] ?? null);
  const layoutRef = useRef<HTMLDivElement>(null);
  // A link to one conversation (?agent=web, e.g. from the Activity feed or the command palette) opens it.
  const wanted = useSearchParams().get("agent");
  useEffect(() => {
    if (!wanted) return;
    setOpen((list) => (list.includes(wanted) ? list : [wanted]));
    setActive(wanted);
    setPane("conversation");
  }, [wanted]);

  const toggle = (key: string) =>
    setOpen((list) => {
      const base = list.length > 0 ? list : shown;
      if (base.includes(key)) return base.filter((k) => k !== key);
      return [...base, key].slice(-MAX_OPEN);
    });

  /** On a phone an agent opens its conversation (never closes it); on a desk it toggles its pane. */
  const choose = (key: string) => {
    if (!phone) return toggle(key);
    if (!shown.includes(key)) toggle(key);
    setActive(key);
    setPane("conversation");
  };

  // Moving between panes moves focus with it: to Back in a conversation, to its agent in the list.
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current || !phone) return;
    const root = layoutRef.current;
    if (pane === "conversation") root?.querySelector<HTMLElement>(`[data-pane-key="${current}"] [data-back]`)?.focus();
    else root?.querySelector<HTMLElement>(`[data-testid="dm-agent"][data-agent="${current}"]`)?.focus();
  }, [pane, phone, current]);
  const go = (next: "list" | "conversation") => {
    moved.current = true;
    setPane(next);
  };

  // Swipes (touch and pen only: a mouse drag selects text), not from inside something that scrolls sideways.
  const swipeStart = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const fromScroller = (event.target as HTMLElement).closest("pre, table");
    swipeStart.current = phone && event.pointerType !== "mouse" && !fromScroller ? { x: event.clientX, y: event.clientY } : null;
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const start = swipeStart.current;
    swipeStart.current = null;
    if (!start) return;
    const dx = event.clientX - start.x;
    if (Math.abs(dx) < SWIPE_PX || Math.abs(event.clientY - start.y) > Math.abs(dx) / 2) return;
    if (dx > 0 && pane === "conversation") go("list");
    else if (dx < 0 && pane === "list" && current) go("conversation");
  };

  return (
    <div
      ref={layoutRef}
      className={styles.layout}
      data-pane={pane}
      data-testid="dms-layout"
      onPointerDown={onPointerDown}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        swipeStart.current = null;
      }}
    >
      <nav className={styles.list} aria-label="Agents to message">
        <h1 className={styles.title}>Direct messages</h1>
        <p className={`muted ${styles.hint}`}>Pick up to {MAX_OPEN} agents to talk side by side.</p>
        <ul onKeyDown={onListKeyDown}>
          {agents.map(({ agent, status }, i) => (
            <li key={agent.id}>
              <button
                type="button"
                {...LIST_ITEM}
                tabIndex={i === 0 ? 0 : -1}
                className={styles.agent}
                aria-pressed={shown.includes(agent.agent_key)}
                onClick={() => {
                  moved.current = true;
                  choose(agent.agent_key);
                }}
                disabled={!agent.enabled}
                data-testid="dm-agent"
                data-agent={agent.agent_key}
              >
                {/* Read as "Backend (idle)" or "Backend (working: Writing the migration)", each word once,
                    and at phone width too, where the visible action line is hidden. */}
                <AgentStatusDot status={status?.status} decorative />
                <span className={styles.agentName}>
                  {agent.display_name}
                  <span className="visually-hidden">{`(${status?.status ?? "offline"}${status?.current_action ? `: ${status.current_action}` : ""})`}</span>
                </span>
                <span className={styles.agentAction} aria-hidden="true">
                  {status?.current_action || status?.status || "offline"}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className={styles.panes} style={{ "--open-panes": Math.max(1, shown.length) } as CSSProperties}>
        {shown.length === 0 ? <p className="muted">Pick an agent to start a conversation.</p> : null}
        {shown.map((key) => {
          const agent = agents.find((a) => a.agent.agent_key === key)?.agent;
          const name = agent?.display_name ?? key;
          return (
            <div key={key} className={styles.pane} data-pane-key={key} data-current={key === current}>
              <header className={styles.paneHeader}>
                <button
                  type="button"
                  className={`button small ${styles.back}`}
                  onClick={() => go("list")}
                  aria-label="Agents, back to the list"
                  data-back=""
                >
                  <span aria-hidden="true">‹</span> Agents
                </button>
                <span className={styles.paneTitle}>{name}</span>
                <span className="muted">{agent?.model}</span>
                <button
                  type="button"
                  className={`button small ${styles.close}`}
                  onClick={() => toggle(key)}
                  aria-label={`Close the conversation with ${name}`}
                >
                  Close
                </button>
              </header>
              <ChatThread
                threadKey={`DM:${key}`}
                label={`DM with ${name}`}
                emptyText={`No messages with ${name} yet.`}
                placeholder={`Message ${name}`}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
