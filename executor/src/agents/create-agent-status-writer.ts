import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { setAgentStatus, type TAgentStatusUpdate } from "./set-agent-status.ts";

/** Writes agents' live status off the delivery's critical path. */
export interface TAgentStatusWriter {
  /** Records the agent's new status; written in order per agent, without waiting. */
  set(agentId: string, update: TAgentStatusUpdate): void;
  /** Resolves when every recorded status is written (shutdown, tests). */
  flush(): Promise<void>;
}

/**
 * Creates a status writer that keeps at most one write in flight per agent and coalesces what
 * arrives meanwhile into the latest status (context usage and last model carry over), so a busy
 * agent costs a few writes instead of two per delivery and replies never wait for the roster.
 * A failed write is logged; the next status overwrites it anyway.
 */
export function createAgentStatusWriter(db: TDb, log: Logger): TAgentStatusWriter {
  const pending = new Map<string, TAgentStatusUpdate>();
  const writing = new Map<string, Promise<void>>();

  const pump = async (agentId: string) => {
    for (let update = pending.get(agentId); update; update = pending.get(agentId)) {
      pending.delete(agentId);
      try {
        await setAgentStatus(db, agentId, update);
      } catch (err) {
        log.warn({ err, agentId, status: update.status }, "could not update the agent's status");
      }
    }
    writing.delete(agentId);
  };

  return {
    set(agentId, update) {
      const earlier = pending.get(agentId);
      pending.set(agentId, {
        ...update,
        contextUsage: update.contextUsage ?? earlier?.contextUsage,
        lastModel: update.lastModel ?? earlier?.lastModel,
      });
      if (!writing.has(agentId)) writing.set(agentId, pump(agentId));
    },
    async flush() {
      while (writing.size > 0) await Promise.all([...writing.values()]);
    },
  };
}
