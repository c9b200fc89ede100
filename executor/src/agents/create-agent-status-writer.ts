import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { setAgentStatus, type TAgentStatusUpdate } from "./set-agent-status.ts";

/** Writes agents' live status off the delivery's critical path. */
export interface TAgentStatusWriter {
  /** Records the agent's new status; written in order per agent, without waiting. */
  set(agentId: string, update: TAgentStatusUpdate): void;
  /** Writes what is still waiting at once and resolves when every recorded status is written (shutdown, tests). */
  flush(): Promise<void>;
}

/** How often one agent's status is written at most, by default: the roster stays live without a write per delivery. */
export const STATUS_MIN_INTERVAL_MS = 250;

type TAgentSlot = {
  pending: TAgentStatusUpdate | undefined;
  writing: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  lastStartedAt: number;
};

/**
 * Creates a status writer that keeps at most one write in flight per agent, starts writes for the
 * same agent at least `minIntervalMs` apart, and coalesces what arrives meanwhile into the latest
 * status (context usage and last model carry over). The first change after a quiet spell is written
 * at once and the last one always is, so a busy agent costs a few writes a second instead of two
 * per delivery, and replies never wait for the roster. A failed write is logged; the next status
 * overwrites it anyway.
 */
export function createAgentStatusWriter(db: TDb, log: Logger, options: { minIntervalMs?: number } = {}): TAgentStatusWriter {
  const minIntervalMs = options.minIntervalMs ?? STATUS_MIN_INTERVAL_MS;
  const slots = new Map<string, TAgentSlot>();

  const write = (agentId: string, slot: TAgentSlot) => {
    const update = slot.pending;
    if (!update) return;
    slot.pending = undefined;
    slot.lastStartedAt = performance.now();
    slot.writing = setAgentStatus(db, agentId, update)
      .catch((err: unknown) => log.warn({ err, agentId, status: update.status }, "could not update the agent's status"))
      .finally(() => {
        slot.writing = undefined;
        plan(agentId, slot);
      });
  };

  const plan = (agentId: string, slot: TAgentSlot) => {
    if (slot.writing || slot.timer || !slot.pending) return;
    const waitMs = slot.lastStartedAt + minIntervalMs - performance.now();
    if (waitMs <= 0) {
      write(agentId, slot);
      return;
    }
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      write(agentId, slot);
    }, waitMs);
  };

  return {
    set(agentId, update) {
      let slot = slots.get(agentId);
      if (!slot) {
        slot = { pending: undefined, writing: undefined, timer: undefined, lastStartedAt: Number.NEGATIVE_INFINITY };
        slots.set(agentId, slot);
      }
      const earlier = slot.pending;
      slot.pending = {
        ...update,
        contextUsage: update.contextUsage ?? earlier?.contextUsage,
        lastModel: update.lastModel ?? earlier?.lastModel,
      };
      plan(agentId, slot);
    },
    async flush() {
      for (;;) {
        const writes: Promise<void>[] = [];
        for (const [agentId, slot] of slots) {
          if (slot.timer) {
            clearTimeout(slot.timer);
            slot.timer = undefined;
            write(agentId, slot);
          }
          if (slot.writing) writes.push(slot.writing);
        }
        if (writes.length === 0) return;
        await Promise.all(writes);
      }
    },
  };
}
