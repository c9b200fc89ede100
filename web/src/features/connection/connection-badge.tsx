"use client";

import { assertNever } from "@mission-control/shared/errors";
import type { TConnectionMode } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useClock } from "../ui/clock.tsx";
import { formatTime, type TFormatClock } from "../ui/format-time.ts";
import styles from "./connection-badge.module.css";
import { recheckConnection } from "./connection-monitor.ts";

function label(mode: TConnectionMode): string {
  switch (mode) {
    case "checking":
      return "Checking";
    case "live":
      return "Live";
    case "backup":
      return "Backup";
    case "offline":
      return "Offline";
    default:
      return assertNever(mode);
  }
}

function time(ms: number | null, clock: TFormatClock): string {
  return ms === null ? "never" : formatTime(ms, "timeSeconds", clock);
}

/**
 * Live (executor healthy) / Backup (database only: actions queue) / Offline (database
 * unreachable), with the time of the last check, or of the last good one when degraded.
 * Clicking re-checks at once.
 */
export function ConnectionBadge() {
  const connection = useLiveStore((s) => s.connection);
  const realtime = useLiveStore((s) => s.realtime.status);
  const catchUps = useLiveStore((s) => s.realtime.catchUps);
  const clock = useClock();
  const when =
    connection.mode === "live"
      ? `checked ${time(connection.lastCheckAt, clock)}`
      : connection.mode === "backup"
        ? `last live ${time(connection.lastLiveAt, clock)}`
        : connection.mode === "offline"
          ? `last reachable ${time(connection.lastReachableAt, clock)}`
          : "";
  // The executor reports publication drift (principle 3): some live views would hear nothing.
  const drift = connection.mode === "live" && connection.detail.includes("Warning:");
  const realtimeNote = realtime === "reconnecting" || realtime === "closed" ? " · realtime reconnecting" : "";
  return (
    <button
      type="button"
      className={styles.badge}
      data-mode={connection.mode}
      data-testid="connection-badge"
      data-realtime={realtime}
      data-catch-ups={catchUps}
      onClick={recheckConnection}
      title={`${connection.detail || "Checking the connection…"} Click to check again.`}
      // The name begins with the words on the badge, so voice control users can say what they see.
      aria-label={`${label(connection.mode)} ${when}${realtimeNote}${drift ? " publication drift" : ""}. Connection: ${connection.detail} Click to check again.`}
    >
      {/* The spaces between the parts (invisible in the flex row) keep their words apart for tools that read the text. */}
      <span className={styles.dot} aria-hidden="true" /> <span className={styles.mode}>{label(connection.mode)}</span>{" "}
      <span className={styles.when}>
        {when}
        {realtimeNote}
      </span>
      {drift ? (
        <>
          {" "}
          <span className={styles.warning}>publication drift</span>
        </>
      ) : null}
    </button>
  );
}
