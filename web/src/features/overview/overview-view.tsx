"use client";

import Link from "next/link";
import { type ReactNode, useMemo } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { proposalHref } from "../approvals/proposal-href.ts";
import { usePendingProposals } from "../approvals/use-pending-proposals.ts";
import { threadPlace } from "../chat/thread-place.ts";
import { selectLoaded } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import { isActiveRun } from "../runs/active-run-statuses.ts";
import { useProjectTasks } from "../tasks/use-project-tasks.ts";
import { useFormatTime } from "../ui/clock.tsx";
import { useNow } from "../ui/use-now.ts";
import { formatTokens, formatUsd } from "../usage/format-usage.ts";
import { countOf, formatWaitShort } from "./format-overview.ts";
import styles from "./overview.module.css";
import { OverviewCharts } from "./overview-charts.tsx";
import { selectDayUsdBudget } from "./select-day-budget.ts";
import { selectWorkingAgents } from "./select-working-agents.ts";
import { useProjectOverview } from "./use-project-overview.ts";

/** One number of the Overview, linked to where it is acted on. */
function Tile(props: { testId: string; label: string; value: ReactNode; href: string; tone?: "warn" | "bad"; children?: ReactNode }) {
  return (
    <Link href={props.href} className={styles.tile} data-testid={props.testId} data-tone={props.tone}>
      <span className={styles.tileLabel}>{props.label}</span>
      <span className={styles.tileValue} data-part="value">
        {props.value}
      </span>
      {props.children ? <span className={styles.tileDetail}>{props.children}</span> : null}
    </Link>
  );
}

/**
 * The project's home page, meant to be left open: agents working now and active runs, the chat
 * delivery queue (depth, oldest waiting delivery, failures of the last day), pending approvals
 * with the oldest's age, today's spend, and the last hour of queue depth and reply latency.
 * Agents, runs, approvals and budgets are the live store's rows (they change on screen as they
 * change); the queue, the spend and the history are `project_overview`, re-read when a delivery
 * or a reply changes and every 30 s. Everything only reads, so the page works in Backup mode.
 */
export function OverviewView() {
  const { project } = useProject();
  const formatTime = useFormatTime();
  const slug = project.slug;
  const now = useNow(15_000);
  const mode = useLiveStore((s) => s.connection.mode);
  const loaded = useLiveStore(selectLoaded);
  const agentRows = useLiveStore((s) => s.rows.agents);
  const statusRows = useLiveStore((s) => s.rows.agent_status);
  const runRows = useLiveStore((s) => s.rows.ai_runs);
  const budgetRows = useLiveStore((s) => s.rows.budgets);
  const tasks = useProjectTasks(project.id);
  const pending = usePendingProposals(project.id);
  const overview = useProjectOverview(project.id);

  const agents = useMemo(() => selectWorkingAgents(agentRows, statusRows, project.id), [agentRows, statusRows, project.id]);
  const activeRuns = useMemo(
    () => Object.values(runRows).filter((run) => run.project_id === project.id && isActiveRun(run)).length,
    [runRows, project.id],
  );
  const dayBudget = useMemo(() => selectDayUsdBudget(budgetRows, project.id), [budgetRows, project.id]);
  const place = useMemo(() => {
    const names = new Map(Object.values(agentRows).map((a) => [a.agent_key, a.display_name]));
    const titles = new Map(tasks.map((t) => [t.id, t.title]));
    return (threadKey: string) =>
      threadPlace(
        slug,
        threadKey,
        (key) => names.get(key) ?? key,
        (id) => titles.get(id),
      );
  }, [agentRows, tasks, slug]);

  const data = overview.data;
  const queue = data?.queue;
  const spend = data?.spend_today;
  const oldestPending = pending[0];
  const oldestPlace = queue?.oldest ? place(queue.oldest.thread_key) : null;
  const storeLoading = !loaded;
  const dash = "…";

  return (
    <section className={styles.page} aria-labelledby="overview-title">
      <header className={styles.header}>
        <h1 className={styles.title} id="overview-title">
          Overview
        </h1>
        {data ? (
          <span className={styles.asOf} title="The queue, spend and charts are re-read when a delivery or a reply changes, and every 30 s.">
            queue and charts as of {formatTime(data.as_of, "timeSeconds")}
          </span>
        ) : null}
      </header>
      {mode === "backup" || mode === "offline" ? (
        <p className={styles.notice} role="status">
          The executor is not answering: agents show their last known state and queued deliveries wait until it is back. Everything here is
          read from the database, so the numbers stay current.
        </p>
      ) : null}
      {overview.error ? (
        <p className={styles.error} role="alert">
          {overview.error}
        </p>
      ) : null}

      <div className={styles.tiles}>
        <Tile
          testId="overview-agents"
          label="Agents working"
          value={storeLoading ? dash : agents.working.length}
          href={`/p/${slug}/agents`}
          tone={agents.inError > 0 ? "bad" : undefined}
        >
          {storeLoading
            ? "Reading the roster…"
            : agents.enabled === 0
              ? "No agents yet: add one on the Agents page."
              : agents.working.length === 0
                ? `None of ${countOf(agents.enabled, "agent", "agents")} is working${agents.inError > 0 ? ` · ${agents.inError} in error` : ""}.`
                : `${agents.working.map((w) => w.agent.display_name).join(", ")} of ${agents.enabled}${agents.inError > 0 ? ` · ${agents.inError} in error` : ""}`}
        </Tile>
        <Tile testId="overview-runs" label="Active runs" value={storeLoading ? dash : activeRuns} href={`/p/${slug}/runs`}>
          {storeLoading
            ? "Reading the runs…"
            : activeRuns === 0
              ? "Nothing running: start one on Runs."
              : "planning, implementing or testing now"}
        </Tile>
        <Tile
          testId="overview-queue"
          label="Queue depth"
          value={queue ? queue.queued : dash}
          href={`/p/${slug}/agents`}
          tone={queue && queue.queued > 0 && queue.oldest && now - Date.parse(queue.oldest.created_at) > 5 * 60_000 ? "warn" : undefined}
        >
          {queue
            ? queue.queued === 0 && queue.in_flight === 0
              ? "Nothing waiting for an agent."
              : queue.in_flight > 0
                ? `waiting · ${queue.in_flight} being answered now`
                : "waiting for an agent"
            : "Reading the queue…"}
        </Tile>
        <Tile
          testId="overview-oldest"
          label="Oldest queued"
          value={queue?.oldest ? formatWaitShort(now - Date.parse(queue.oldest.created_at)) : queue ? "—" : dash}
          href={oldestPlace?.href ?? `/p/${slug}/team-room`}
        >
          {queue?.oldest
            ? `for @${queue.oldest.agent_key}${oldestPlace ? ` in ${oldestPlace.label}` : ""}`
            : queue
              ? "No delivery is waiting."
              : "Reading the queue…"}
        </Tile>
        <Tile
          testId="overview-approvals"
          label="Pending approvals"
          value={storeLoading ? dash : pending.length}
          href={oldestPending ? proposalHref(slug, oldestPending.id) : `/p/${slug}/approvals`}
          tone={pending.length > 0 ? "warn" : undefined}
        >
          {storeLoading
            ? "Reading the approvals…"
            : oldestPending
              ? `oldest ${formatAge("proposed", oldestPending.created_at, now)}`
              : "Nothing waits for a decision."}
        </Tile>
        <Tile
          testId="overview-failed"
          label="Failed · 24 h"
          value={queue ? queue.failed_24h : dash}
          href="#failed-deliveries"
          tone={queue && queue.failed_24h > 0 ? "bad" : undefined}
        >
          {queue ? (queue.failed_24h === 0 ? "None failed in the last day." : "Retry each from its thread (below).") : "Reading the queue…"}
        </Tile>
        <Tile
          testId="overview-spend"
          label="Spend today (UTC)"
          value={spend ? (spend.calls === 0 ? "$0" : formatUsd(spend.usd)) : dash}
          href={`/p/${slug}/usage`}
          tone={dayBudget && spend?.usd != null && spend.usd >= dayBudget.hard_limit ? "bad" : undefined}
        >
          {spend
            ? spend.calls === 0
              ? "No provider calls yet today."
              : [
                  dayBudget ? `of ${formatUsd(dayBudget.hard_limit)} a day` : null,
                  `${formatTokens(spend.tokens)} tokens`,
                  countOf(spend.calls, "call", "calls"),
                  spend.unpriced_calls > 0 ? `${spend.unpriced_calls} without a price` : null,
                ]
                  .filter(Boolean)
                  .join(" · ")
            : "Reading usage…"}
        </Tile>
      </div>

      <OverviewCharts history={data?.history ?? []} loaded={overview.loaded} />

      <section className={styles.panel} id="failed-deliveries" aria-labelledby="failed-deliveries-title" data-testid="overview-failed-list">
        <h2 className={styles.panelTitle} id="failed-deliveries-title">
          Failed deliveries · last 24 h
        </h2>
        {!data ? (
          <p className={styles.muted}>Reading the queue…</p>
        ) : data.failed.length === 0 ? (
          <p className={styles.muted}>
            No delivery failed in the last day. When one does (a provider error, a budget limit, an executor that stopped), it shows here
            with a link to its thread, where Retry queues it again.
          </p>
        ) : (
          <ul className={styles.failedList}>
            {data.failed.map((failure) => {
              const where = place(failure.thread_key);
              return (
                <li key={failure.id} className={styles.failedItem}>
                  <div className={styles.failedHead}>
                    <span className={styles.agentKey}>@{failure.agent_key}</span>
                    <span className={styles.muted}>{formatAge("failed", failure.completed_at, now)}</span>
                    {where ? (
                      <Link href={where.href} className={styles.failedLink}>
                        Retry in {where.label}
                      </Link>
                    ) : null}
                  </div>
                  <div className={styles.failedError}>{failure.error ?? "No reason recorded."}</div>
                </li>
              );
            })}
            {data.queue.failed_24h > data.failed.length ? (
              <li className={styles.muted}>and {data.queue.failed_24h - data.failed.length} more (the latest 10 are listed).</li>
            ) : null}
          </ul>
        )}
      </section>
    </section>
  );
}
