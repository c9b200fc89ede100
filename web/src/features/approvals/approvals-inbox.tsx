"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { ACTION_TYPES } from "@mission-control/shared/schemas";
import Link from "next/link";
import { type KeyboardEvent, useEffect, useMemo, useState } from "react";
import { useProjectAgents } from "../agents/use-project-agents.ts";
import { threadPlace } from "../chat/thread-place.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useOlderRows } from "../live/use-older-rows.ts";
import { useProject } from "../projects/project-context.tsx";
import shell from "../ui/page.module.css";
import { LIST_ITEM, onListKeyDown } from "../ui/use-list-keys.ts";
import { useNow } from "../ui/use-now.ts";
import { ApprovalCard } from "./approval-card.tsx";
import { ApprovalHistoryList } from "./approval-history-list.tsx";
import styles from "./approvals.module.css";
import { NO_HISTORY_FILTER, selectProposalHistory, type THistoryFilter } from "./select-proposal-history.ts";
import { usePendingProposals } from "./use-pending-proposals.ts";

const HISTORY_STATUSES = ["executed", "rejected", "expired", "failed", "approved", "executing"] as const;
/** Proposals per older page of the history. */
const HISTORY_PAGE_SIZE = 100;

/**
 * Keyboard on a list of cards: j/k (and arrows) move between cards; on a focused waiting card,
 * a approves and r starts a rejection (focus goes to the comment). Typing in a field is left alone.
 */
function onCardsKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const target = event.target as HTMLElement;
  if (target.closest("input, textarea, select") || event.metaKey || event.ctrlKey || event.altKey) return;
  const item = target.closest<HTMLElement>("[data-list-item]");
  if (item && (event.key === "a" || event.key === "r")) {
    const button = item.querySelector<HTMLButtonElement>(event.key === "a" ? "[data-approve]" : "[data-reject]");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
    if (event.key === "r") requestAnimationFrame(() => item.querySelector<HTMLTextAreaElement>("textarea")?.focus());
    return;
  }
  onListKeyDown(event);
}

/** Where a proposal was made, as a link to its task or thread. */
function Where({ proposal, agentName }: { proposal: TProposal; agentName: (key: string) => string }) {
  const { project } = useProject();
  const tasks = useLiveStore((s) => s.rows.tasks);
  const threads = useLiveStore((s) => s.rows.project_chat_threads);
  const task = proposal.task_id ? tasks[proposal.task_id] : undefined;
  const thread = proposal.thread_id ? threads[proposal.thread_id] : undefined;
  if (proposal.task_id) {
    return (
      <>
        In task <Link href={`/p/${project.slug}/tasks/${proposal.task_id}`}>{task?.title ?? "(open the task)"}</Link>
      </>
    );
  }
  const place = thread ? threadPlace(project.slug, thread.thread_key, agentName, (id) => tasks[id]?.title) : null;
  if (place) {
    return (
      <>
        In <Link href={place.href}>{place.label}</Link>
      </>
    );
  }
  return <>Not linked to a task or thread</>;
}

function Cards({
  proposals,
  label,
  agentName,
  focusId,
}: {
  proposals: TProposal[];
  label: string;
  agentName: (key: string) => string;
  focusId: string | null;
}) {
  // A link to one proposal (?proposal=…) scrolls to its card and focuses it, once it is on screen.
  const focusShown = focusId !== null && proposals.some((p) => p.id === focusId);
  useEffect(() => {
    if (!focusShown || !focusId) return;
    const card = document.querySelector<HTMLElement>(`[data-list-item][data-proposal-item="${CSS.escape(focusId)}"]`);
    card?.scrollIntoView({ block: "center" });
    card?.focus({ preventScroll: true });
  }, [focusShown, focusId]);
  return (
    <ol className={styles.inbox} onKeyDown={onCardsKeyDown} aria-label={label}>
      {proposals.map((proposal, i) => (
        <li
          key={proposal.id}
          {...LIST_ITEM}
          tabIndex={focusId ? (proposal.id === focusId ? 0 : -1) : i === 0 ? 0 : -1}
          className={styles.inboxItem}
          data-testid="inbox-item"
          data-proposal-item={proposal.id}
          data-linked={proposal.id === focusId || undefined}
        >
          <div className={styles.where}>
            <Where proposal={proposal} agentName={agentName} />
          </div>
          <ApprovalCard proposal={proposal} agentName={agentName(proposal.proposed_by_agent_key)} />
        </li>
      ))}
    </ol>
  );
}

/**
 * The Approvals page: proposals waiting for a decision (oldest first), and the history of the
 * others (newest first, filtered by status, agent, action type and date). Live; keyboard j/k, a, r.
 */
export function ApprovalsInbox() {
  const { project, role } = useProject();
  const pending = usePendingProposals(project.id);
  const proposals = useLiveStore((s) => s.rows.action_proposals);
  const agents = useProjectAgents(project.id);
  const now = useNow(15_000);
  const [tab, setTab] = useState<"waiting" | "history">("waiting");
  const [filter, setFilter] = useState<THistoryFilter>(NO_HISTORY_FILTER);
  const [focusId, setFocusId] = useState<string | null>(null);
  const agentNames = useMemo(() => new Map(agents.map(({ agent }) => [agent.agent_key, agent.display_name])), [agents]);
  const agentName = (key: string) => agentNames.get(key) ?? key;
  const history = useMemo(() => selectProposalHistory(proposals, project.id, filter, now), [proposals, project.id, filter, now]);
  // The history pages older proposals from the database as it scrolls (catch-up holds the pending and the latest).
  const historyScope = useMemo(() => ({ project_id: project.id }), [project.id]);
  const olderProposals = useOlderRows("action_proposals", historyScope, HISTORY_PAGE_SIZE);

  // ?proposal=<id>: open the tab the proposal is on, and point at it.
  useEffect(() => {
    setFocusId(new URLSearchParams(window.location.search).get("proposal"));
  }, []);
  const linked = focusId ? proposals[focusId] : undefined;
  const linkedWaiting = linked ? pending.some((p) => p.id === linked.id) : false;
  useEffect(() => {
    if (linked) setTab(linkedWaiting ? "waiting" : "history");
  }, [linked, linkedWaiting]);

  const set = (key: keyof THistoryFilter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [key]: e.target.value }));
  return (
    <section className={shell.page}>
      <h1 className={shell.pageTitle}>
        Approvals <span className="muted">({pending.length} waiting)</span>
      </h1>
      <div className={styles.tabs} role="tablist" aria-label="Approvals">
        <button type="button" role="tab" aria-selected={tab === "waiting"} className={styles.tab} onClick={() => setTab("waiting")}>
          Waiting ({pending.length})
        </button>
        <button type="button" role="tab" aria-selected={tab === "history"} className={styles.tab} onClick={() => setTab("history")}>
          History
        </button>
        <span className={`muted ${styles.keys}`}>
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>r</kbd> reject
        </span>
      </div>
      {tab === "waiting" ? (
        <div role="tabpanel" aria-label="Waiting">
          {pending.length === 0 ? (
            <p className="muted">Nothing is waiting for a decision. Proposals from agents appear here, oldest first.</p>
          ) : role === "viewer" ? (
            <p className="muted">You are a viewer: you can read proposals; operators and owners decide.</p>
          ) : null}
          <Cards proposals={pending} label="Pending proposals" agentName={agentName} focusId={linkedWaiting ? focusId : null} />
        </div>
      ) : (
        <div role="tabpanel" aria-label="History">
          <div className={styles.filters}>
            <select aria-label="Filter by status" value={filter.status} onChange={set("status")}>
              <option value="">Every outcome</option>
              {HISTORY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <select aria-label="Filter by agent" value={filter.agent} onChange={set("agent")}>
              <option value="">Every agent</option>
              {agents.map(({ agent }) => (
                <option key={agent.agent_key} value={agent.agent_key}>
                  {agent.display_name}
                </option>
              ))}
            </select>
            <select aria-label="Filter by action type" value={filter.actionType} onChange={set("actionType")}>
              <option value="">Every action</option>
              {ACTION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <label className={styles.dateFilter}>
              From <input type="date" value={filter.since} onChange={set("since")} aria-label="Ended on or after" />
            </label>
            <label className={styles.dateFilter}>
              to <input type="date" value={filter.until} onChange={set("until")} aria-label="Ended on or before" />
            </label>
            <span className="muted">{history.length} shown</span>
          </div>
          {history.length === 0 ? <p className="muted">No decided, expired or failed proposals match.</p> : null}
          <ApprovalHistoryList
            proposals={history}
            agentName={agentName}
            focusId={linkedWaiting ? null : focusId}
            older={olderProposals}
            onKeyDown={onCardsKeyDown}
            where={(proposal) => <Where proposal={proposal} agentName={agentName} />}
          />
        </div>
      )}
    </section>
  );
}
