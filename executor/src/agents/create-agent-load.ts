/** Counts the deliveries each agent is answering, so an agent goes idle only when its last one ends. */
export interface TAgentLoad {
  /** The agent took on one more delivery. */
  add(agentId: string): void;
  /** One delivery of the agent ended; returns how many it is still answering. */
  remove(agentId: string): number;
}

/** Creates an empty per-agent count of deliveries in flight (one per executor). */
export function createAgentLoad(): TAgentLoad {
  const load = new Map<string, number>();
  return {
    add(agentId) {
      load.set(agentId, (load.get(agentId) ?? 0) + 1);
    },
    remove(agentId) {
      const left = (load.get(agentId) ?? 1) - 1;
      if (left <= 0) load.delete(agentId);
      else load.set(agentId, left);
      return Math.max(0, left);
    },
  };
}
